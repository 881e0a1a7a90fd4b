using Lockstep.Processes;

namespace Lockstep.Update;

/// <summary>What <see cref="LeftoverScripts"/> sees of and does to the processes of this host; tests give a table of their own.</summary>
internal interface ILeftoverProcesses
{
    /// <summary>Every process now (/proc).</summary>
    IReadOnlyList<ProcEntry> Table();

    /// <summary>Whether the process's environment holds <c>LOCKSTEP_SCRIPT_ID=<paramref name="marker"/></c>.</summary>
    bool Marked(int pid, string marker);

    /// <summary>Whether the process still runs (same start time, not a zombie).</summary>
    bool IsRunning(ProcEntry process);

    /// <summary>TERM to each of <paramref name="members"/>, <paramref name="grace"/> for them to go, then KILL until none is left.</summary>
    void End(Func<List<ProcEntry>> members, TimeSpan grace);
}

/// <summary>The host's own processes, through /proc and pidfds.</summary>
internal sealed class LiveLeftoverProcesses : ILeftoverProcesses
{
    public static readonly LiveLeftoverProcesses Instance = new();

    public IReadOnlyList<ProcEntry> Table() => ProcessTable.Read();

    public bool Marked(int pid, string marker) => ProcessTable.HasEnvironmentEntry(pid, $"{ScriptRecordFile.MarkerVariable}={marker}");

    public bool IsRunning(ProcEntry process) => ProcessTable.IsRunning(process);

    // Never kill(-group): the leader is not our child, so its group number is not held for us; each member is signalled through a pidfd checked against its start time.
    public void End(Func<List<ProcEntry>> members, TimeSpan grace) => TimeoutKill.End(members, grace);
}
