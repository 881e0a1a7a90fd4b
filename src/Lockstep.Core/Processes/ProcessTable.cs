using System.Globalization;

namespace Lockstep.Processes;

/// <summary>
/// The processes /proc shows, read only when a timeout fires (never on the path of a script that
/// ends by itself). /proc lists thread-group leaders only, so Lockstep's own threads never appear.
/// </summary>
internal static class ProcessTable
{
    /// <summary>Every process; empty without a readable /proc, which leaves a timeout to the process group alone.</summary>
    public static List<ProcEntry> Read()
    {
        var entries = new List<ProcEntry>();
        try
        {
            foreach (string dir in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(dir.AsSpan()), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                    && TryRead(pid) is { } entry)
                {
                    entries.Add(entry);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return entries;
        }

        return entries;
    }

    /// <summary>One process; null once it is gone (reaped).</summary>
    public static ProcEntry? TryRead(int pid)
    {
        try
        {
            return ProcEntry.Parse(pid, File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>True while the process runs: it is there, not a zombie, and still the same process.</summary>
    public static bool IsRunning(ProcEntry process) =>
        TryRead(process.Pid) is { } now && now.StartTicks == process.StartTicks && !now.HasEnded;
}
