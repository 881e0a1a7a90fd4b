namespace Lockstep.Tests.Support;

/// <summary>Looks at processes by pid, for tests that check nothing of a script is left.</summary>
public static class ProcessProbe
{
    /// <summary>True while the pid runs (a zombie no longer counts: it has ended).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            int close = stat.LastIndexOf(')');
            return stat[close + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Waits until <paramref name="path"/> exists and has content, for scripts that announce a state.</summary>
    public static string WaitForFile(string path, TimeSpan limit)
    {
        string text = "";
        Eventually.WaitFor(() => File.Exists(path) && (text = File.ReadAllText(path)).EndsWith('\n'), $"{path} to appear", limit);
        return text.Trim();
    }

    public static void WaitUntilGone(int pid, TimeSpan limit) => Eventually.Holds(() => !IsAlive(pid), limit);
}
