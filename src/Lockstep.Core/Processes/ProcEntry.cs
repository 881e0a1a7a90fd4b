using System.Globalization;

namespace Lockstep.Processes;

/// <summary>What /proc/PID/stat says about a process that the tree walk decides on.</summary>
/// <param name="StartTicks">Start time in clock ticks since boot: with the pid, it names one process even after the pid is reused.</param>
internal readonly record struct ProcEntry(int Pid, int ParentPid, char State, ulong StartTicks)
{
    /// <summary>The process group (field 5): a script leads its own, so its pid names it.</summary>
    public int ProcessGroup { get; init; }

    /// <summary>The session (field 6): a script stays in Lockstep's, a <c>setsid</c> daemon leaves it.</summary>
    public int Session { get; init; }

    /// <summary>A zombie (or a dying task) has ended: nothing to signal, only to reap.</summary>
    public bool HasEnded => State is 'Z' or 'X' or 'x';

    /// <summary>Whether this process was started after <paramref name="other"/>, as far as the kernel's clock ticks tell.</summary>
    /// <remarks>Within one tick (10 ms) the pid order decides: pids are handed out in increasing order.</remarks>
    public bool StartedAfter(ProcEntry other) =>
        StartTicks > other.StartTicks || (StartTicks == other.StartTicks && Pid > other.Pid);

    /// <summary>Parses the text of /proc/PID/stat; null when it is not in the kernel's format.</summary>
    public static ProcEntry? Parse(int pid, string stat)
    {
        // The command name (field 2) is in parentheses and may hold spaces and ')': fields resume after the last ')'.
        int close = stat.LastIndexOf(')');
        if (close < 0 || close + 2 >= stat.Length)
        {
            return null;
        }

        var fields = stat.AsSpan(close + 2);
        Span<Range> ranges = stackalloc Range[21];
        // Field 3 (state) is index 0 here, field 4 (ppid) index 1, 5 (pgrp) 2, 6 (session) 3, field 22 (starttime) index 19.
        if (fields.Split(ranges, ' ') < 21
            || fields[ranges[0]].Length != 1
            || !int.TryParse(fields[ranges[1]], NumberStyles.None, CultureInfo.InvariantCulture, out int parent)
            || !int.TryParse(fields[ranges[2]], NumberStyles.None, CultureInfo.InvariantCulture, out int group)
            || !int.TryParse(fields[ranges[3]], NumberStyles.None, CultureInfo.InvariantCulture, out int session)
            || !ulong.TryParse(fields[ranges[19]], NumberStyles.None, CultureInfo.InvariantCulture, out ulong start))
        {
            return null;
        }

        return new ProcEntry(pid, parent, fields[ranges[0]][0], start) { ProcessGroup = group, Session = session };
    }
}
