namespace Lockstep.Tests.Rollout;

/// <summary>
/// Judges a finished rollout against Lockstep's fleet-level promise, from the outside: never more
/// than <c>slots</c> hosts between their first pre_update start and their last post_update end;
/// every host updated; every step's scripts completed exactly once per update (a completion
/// repeated after the host was killed is a repeat, reported apart: the run died before it could
/// record the step); no slot held at the end; every state file readable; no script left running;
/// no run ending in a way no injected fault explains. A pure function of <see cref="RolloutFacts"/>.
/// </summary>
public static class RolloutChecker
{
    /// <summary>The steps whose scripts must complete exactly once per update (needs_update runs at every run, by design).</summary>
    public static IReadOnlyList<string> OnceSteps { get; } = ["pre_update", "update", "needs_reboot", "post_update"];

    private const int ShownPerKind = 10;

    public static RolloutVerdict Check(RolloutFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var violations = new List<string>();
        var repeats = new List<string>();
        int peak = Concurrency(facts, violations);
        Completions(facts, violations, repeats);
        foreach (var host in facts.Hosts)
        {
            if (host.StateProblem is { } problem)
            {
                violations.Add($"{host.Host}: state file unreadable: {problem}");
            }

            if (host.UpdatesDone != host.UpdatesAsked || host.StateLeft)
            {
                violations.Add($"{host.Host}: not updated: {host.UpdatesDone} of {host.UpdatesAsked} updates done{(host.StateLeft ? ", a state file is left" : "")}");
            }
        }

        violations.AddRange(facts.HoldersAtEnd.Select(h => $"slot still held at the end by {h}"));
        violations.AddRange(facts.Orphans.Select(o => $"script process left running: {o}"));
        violations.AddRange(facts.DriverProblems);
        return new RolloutVerdict(peak, violations, repeats);
    }

    /// <summary>A sweep in timeline order: a host-update opens at its first pre_update start and closes at its last post_update end.</summary>
    private static int Concurrency(RolloutFacts facts, List<string> violations)
    {
        var lastPostEnd = new Dictionary<(string, int), int>();
        foreach (var e in facts.Timeline.Where(e => e is { What: "post_update", Event: TimelineEvent.End }))
        {
            lastPostEnd[(e.Host, e.Update)] = e.Index;
        }

        var open = new SortedSet<string>(StringComparer.Ordinal);
        var opened = new HashSet<(string, int)>();
        int peak = 0, over = 0;
        foreach (var e in facts.Timeline)
        {
            var key = (e.Host, e.Update);
            if (e is { What: "pre_update", Event: TimelineEvent.Start } && opened.Add(key))
            {
                open.Add($"{e.Host}#{e.Update}");
                peak = Math.Max(peak, open.Count);
                if (open.Count > facts.Slots && ++over <= ShownPerKind)
                {
                    violations.Add($"event {e.Index} (t={e.Time:F3}): {open.Count} hosts in their update with {facts.Slots} slot(s): {string.Join(", ", open)}");
                }
            }

            if (lastPostEnd.TryGetValue(key, out int close) && close == e.Index)
            {
                open.Remove($"{e.Host}#{e.Update}");
            }
        }

        if (over > ShownPerKind)
        {
            violations.Add($"... and {over - ShownPerKind} more times more hosts than slots");
        }

        return peak;
    }

    private static void Completions(RolloutFacts facts, List<string> violations, List<string> repeats)
    {
        var kills = facts.Timeline.Where(e => e.What == TimelineEvent.Kill).ToLookup(e => e.Host, e => e.Index);
        var ends = facts.Timeline.Where(e => e.Event == TimelineEvent.End && OnceSteps.Contains(e.What))
            .ToLookup(e => (e.Host, e.Update, e.What), e => e.Index);
        foreach (var host in facts.Hosts)
        {
            // A host not updated is reported as such; one that says it is must have completed every step.
            bool updated = host.UpdatesDone == host.UpdatesAsked;
            for (int update = 1; update <= host.UpdatesAsked; update++)
            {
                foreach (string step in OnceSteps)
                {
                    var at = ends[(host.Host, update, step)].ToList();
                    if (at.Count == 0 && updated)
                    {
                        violations.Add($"{host.Host}: update {update}: {step} never completed");
                    }

                    for (int i = 1; i < at.Count; i++)
                    {
                        (int before, int after) = (at[i - 1], at[i]);
                        string what = $"{host.Host}: update {update}: {step} completed again at event {after} (first at {before})";
                        if (kills[host.Host].Any(k => k > before && k < after))
                        {
                            repeats.Add($"{what}, after a kill");
                        }
                        else
                        {
                            violations.Add($"{what} with no crash in between");
                        }
                    }
                }
            }
        }
    }
}
