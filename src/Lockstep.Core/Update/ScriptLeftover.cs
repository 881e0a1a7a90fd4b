using Lockstep.Processes;

namespace Lockstep.Update;

/// <summary>
/// Decides which processes a killed run's script left (README, "After a killed run"), from its
/// <see cref="ScriptRecord"/> and a snapshot of /proc. Pure: the table and the environment check
/// are given, so every rule is tested with tables.
/// </summary>
/// <remarks>
/// A process is the recorded script only when everything matches: the boot, the pid with its start
/// time (a reused pid has another), or, for a run killed before it recorded the pid, the marker in
/// its environment on a group leader in the recorded session. Nothing else is ever waited for.
/// </remarks>
internal static class ScriptLeftover
{
    /// <summary>The recorded script if it still runs in this boot; null when it has ended, or was never this boot's.</summary>
    /// <param name="marked">Whether a pid's environment holds the record's marker.</param>
    public static ProcEntry? Script(ScriptRecord record, string bootId, IReadOnlyList<ProcEntry> table, Func<int, bool> marked)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(marked);
        if (record.BootId != bootId)
        {
            return null;
        }

        if (record.Pid is { } pid)
        {
            return table.Where(e => e.Pid == pid && e.StartTicks == record.StartTicks && !e.HasEnded).Cast<ProcEntry?>().FirstOrDefault();
        }

        // Killed between spawn and recording the pid: the script leads its group in Lockstep's session
        // and carries the marker. A process it put in a group of its own came later; a setsid one left the session.
        return table
            .Where(e => !e.HasEnded && e.Pid == e.ProcessGroup && e.Session == record.Session && marked(e.Pid))
            .OrderBy(e => e.StartTicks).ThenBy(e => e.Pid)
            .Cast<ProcEntry?>().FirstOrDefault();
    }

    /// <summary>
    /// Everything to end once the script outlived its timeout: the script, its process group (members
    /// started no earlier than the script, so a group that reused its number is never taken), and every
    /// process carrying the marker (children that left the group: <c>setsid</c>, <c>timeout</c>), never <paramref name="self"/>.
    /// </summary>
    public static List<ProcEntry> Members(ProcEntry script, IReadOnlyList<ProcEntry> table, Func<int, bool> marked, int self)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(marked);
        return [.. table.Where(e => !e.HasEnded && e.Pid != self && e.Pid > 0
            && ((e.Pid == script.Pid && e.StartTicks == script.StartTicks)
                || (e.ProcessGroup == script.Pid && !script.StartedAfter(e))
                || marked(e.Pid)))];
    }
}
