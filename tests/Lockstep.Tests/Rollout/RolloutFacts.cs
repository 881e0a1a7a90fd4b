namespace Lockstep.Tests.Rollout;

/// <summary>
/// How one simulated host ended: how many updates it was asked for and how many its post_update
/// recorded as done, whether a state file is left (an update not finished) and, when that file
/// cannot be read as Lockstep's state, why.
/// </summary>
public sealed record HostOutcome(string Host, int UpdatesAsked, int UpdatesDone, bool StateLeft, string? StateProblem = null);

/// <summary>
/// Everything the checker judges, gathered from outside Lockstep after the rollout: the timeline,
/// each host's files, the holders the engine still lists, the script processes still running,
/// and what the simulator itself found wrong (a run ending with a status no fault explains).
/// </summary>
public sealed record RolloutFacts(
    int Slots,
    IReadOnlyList<TimelineEvent> Timeline,
    IReadOnlyList<HostOutcome> Hosts,
    IReadOnlyList<string> HoldersAtEnd,
    IReadOnlyList<string> Orphans,
    IReadOnlyList<string> DriverProblems);

/// <summary>The checker's findings: the peak number of hosts in their update at once, violations, and repeats a kill explains.</summary>
public sealed record RolloutVerdict(int PeakConcurrency, IReadOnlyList<string> Violations, IReadOnlyList<string> RepeatsAfterKill);
