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

    /// <summary>An environment is at most what exec takes (ARG_MAX, 2 MiB by default); more is not read.</summary>
    private const int MaxEnvironmentBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Whether the environment the process was started with (<c>/proc/PID/environ</c>) holds
    /// <paramref name="entry"/> (<c>NAME=VALUE</c>) exactly; false when it cannot be read (gone, another user's, a kernel thread).
    /// </summary>
    public static bool HasEnvironmentEntry(int pid, string entry)
    {
        byte[] wanted = System.Text.Encoding.UTF8.GetBytes($"\0{entry}\0");
        try
        {
            using var stream = new FileStream($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/environ", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None);
            // A leading NUL lets the first entry match like every other.
            var buffer = new byte[64 * 1024];
            int length = 1;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length >= MaxEnvironmentBytes)
                    {
                        break;
                    }

                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                int read = stream.Read(buffer, length, buffer.Length - length);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            var text = buffer.AsSpan(0, length);
            // The last entry may lack its NUL when the environment was cut.
            return text.IndexOf(wanted) >= 0 || text.EndsWith(wanted.AsSpan(0, wanted.Length - 1));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>True while the process runs: it is there, not a zombie, and still the same process.</summary>
    public static bool IsRunning(ProcEntry process) =>
        TryRead(process.Pid) is { } now && now.StartTicks == process.StartTicks && !now.HasEnded;
}
