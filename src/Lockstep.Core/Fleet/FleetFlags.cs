namespace Lockstep.Fleet;

/// <summary>
/// What needs a person, as pure functions of a host's report, whether it holds a slot, and the
/// clock (README, "lockstep fleet status"). Only slot holders are flagged: they block the rollout.
/// </summary>
public static class FleetFlags
{
    /// <summary>Stopped on a failure while holding a slot.</summary>
    public const string Failed = "failed";

    /// <summary>Holds a slot and its step has not changed for longer than <c>stuck_after</c>.</summary>
    public const string Stuck = "stuck";

    /// <summary>Holds a slot and has not reported for longer than <c>silent_after</c>: dead or decommissioned.</summary>
    public const string Silent = "silent";

    /// <summary>Holds a slot under an id that never reported: an airlock/zincati host, or a ghost.</summary>
    public const string UnknownHolder = "unknown_holder";

    /// <param name="report">The host's report; null when it has none (or it cannot be read: <paramref name="unreadable"/>).</param>
    /// <param name="holdsSlot">Whether the host holds a slot; null when the backend cannot say.</param>
    public static IReadOnlyList<string> For(HostReport? report, bool unreadable, bool? holdsSlot, DateTimeOffset now, TimeSpan stuckAfter, TimeSpan silentAfter)
    {
        if (holdsSlot != true)
        {
            return [];
        }

        if (report is null)
        {
            return unreadable ? [] : [UnknownHolder];
        }

        var flags = new List<string>();
        if (report.Outcome == ReportOutcome.Failed)
        {
            flags.Add(Failed);
        }

        if (now - report.StepSince > stuckAfter)
        {
            flags.Add(Stuck);
        }

        if (now - report.ReportedAt > silentAfter)
        {
            flags.Add(Silent);
        }

        return flags;
    }
}
