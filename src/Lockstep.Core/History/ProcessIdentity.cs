using System.Globalization;

namespace Lockstep.History;

/// <summary>
/// A process as the kernel knows it: pid, boot and start time. A pid alone is reused; the three
/// together tell a run still going from one whose Lockstep was killed.
/// </summary>
public sealed class ProcessIdentity
{
    private const string BootIdFile = "/proc/sys/kernel/random/boot_id";

    public int Pid { get; set; }

    public string? BootId { get; set; }

    /// <summary>Field 22 of /proc/PID/stat: clock ticks after boot at which the process started.</summary>
    public long StartTicks { get; set; }

    public static ProcessIdentity Current() => Of(Environment.ProcessId) ?? new ProcessIdentity { Pid = Environment.ProcessId };

    /// <summary>The identity of a running process; null when there is none with that pid.</summary>
    public static ProcessIdentity? Of(int pid)
    {
        string? stat = ReadOrNull($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        return stat is not null && ParseStartTicks(stat) is { } ticks
            ? new ProcessIdentity { Pid = pid, BootId = ReadOrNull(BootIdFile)?.Trim(), StartTicks = ticks }
            : null;
    }

    /// <summary>True when this very process is still running (same pid, boot and start time).</summary>
    public bool IsAlive()
    {
        var now = Of(Pid);
        return now is not null && now.StartTicks == StartTicks && (BootId is null || now.BootId == BootId);
    }

    /// <summary>Reads starttime from a /proc/PID/stat line; the command name in parentheses may hold spaces and ')'.</summary>
    internal static long? ParseStartTicks(string stat)
    {
        int close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        // After "pid (comm)", the fields start at 3 (state); starttime is field 22.
        string[] fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 19 && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out long ticks) ? ticks : null;
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
