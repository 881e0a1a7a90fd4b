namespace Lockstep.Processes;

/// <summary>
/// Which processes belong to a script that timed out: the script, everything still descending from
/// it, and, when Lockstep is a child subreaper, the orphans it left (a <c>setsid</c>, <c>timeout</c>
/// or double-forked child whose parent died was reparented to Lockstep) with their descendants.
/// </summary>
/// <remarks>
/// An orphan is the script's when it started after the script did. Lockstep runs one script at a
/// time, so an adopted process that started earlier was left by an earlier script that finished
/// on its own: a daemon left running on purpose, which a later script's timeout must not touch.
/// </remarks>
internal static class ScriptTree
{
    /// <summary>The running (not yet ended) members of <paramref name="script"/>'s tree in <paramref name="table"/>.</summary>
    /// <param name="self">Lockstep's pid.</param>
    /// <param name="adopting">Whether Lockstep is a subreaper, so that its other children are orphans it adopted.</param>
    /// <param name="wholeRun">Take every adopted orphan, whenever it started: the run's deadline ends all the run started.</param>
    public static List<ProcEntry> Members(IReadOnlyList<ProcEntry> table, int self, ProcEntry script, bool adopting, bool wholeRun = false)
    {
        var children = new Dictionary<int, List<ProcEntry>>();
        foreach (var entry in table)
        {
            if (!children.TryGetValue(entry.ParentPid, out var list))
            {
                children[entry.ParentPid] = list = [];
            }

            list.Add(entry);
        }

        // The script as the table shows it now (a zombie once it exited), never the older reading.
        var roots = table.Where(entry => entry.Pid == script.Pid && entry.StartTicks == script.StartTicks).ToList();
        if (adopting && children.TryGetValue(self, out var adopted))
        {
            roots.AddRange(adopted.Where(child => child.Pid != script.Pid && (wholeRun || child.StartedAfter(script))));
        }

        var members = new List<ProcEntry>();
        var seen = new HashSet<int>();
        var pending = new Stack<ProcEntry>(roots);
        while (pending.TryPop(out var process))
        {
            // pid 0 and Lockstep itself can never be members; the guard also stops a cycle in a torn snapshot.
            if (process.Pid == self || process.Pid <= 0 || !seen.Add(process.Pid))
            {
                continue;
            }

            if (!process.HasEnded)
            {
                members.Add(process);
            }

            if (children.TryGetValue(process.Pid, out var below))
            {
                below.ForEach(pending.Push);
            }
        }

        return members;
    }
}
