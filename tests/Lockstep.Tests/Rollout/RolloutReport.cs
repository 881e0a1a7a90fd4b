using System.Globalization;
using System.Text;

namespace Lockstep.Tests.Rollout;

/// <summary>A finished rollout: its settings, how long it took, the faults it met (from the timeline) and the checker's verdict.</summary>
public sealed record RolloutReport(string Backend, RolloutSettings Settings, TimeSpan WallTime, int Runs, RolloutFacts Facts, RolloutVerdict Verdict)
{
    public bool Holds => Verdict.Violations.Count == 0;

    /// <summary>Faults by kind: kills by where they struck, scripts made to fail, engine faults.</summary>
    public SortedDictionary<string, int> Faults
    {
        get
        {
            var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (var e in Facts.Timeline)
            {
                string? kind = e switch
                {
                    { What: TimelineEvent.Kill } => e.Event,
                    { What: TimelineEvent.Fault } => e.Event,
                    { Event: TimelineEvent.Fail } => "script-fail",
                    _ => null,
                };
                if (kind is not null)
                {
                    counts[kind] = counts.GetValueOrDefault(kind) + 1;
                }
            }

            return counts;
        }
    }

    public override string ToString()
    {
        var s = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        s.AppendLine(inv, $"rollout on {Backend}: seed {Settings.Seed}, {Settings.Hosts} hosts, {Settings.Slots} slot(s), faults {(Settings.Faults ? "on" : "off")}");
        s.AppendLine(inv, $"host-updates: {Facts.Hosts.Sum(h => h.UpdatesAsked)} asked, {Facts.Hosts.Sum(h => h.UpdatesDone)} done; lockstep runs: {Runs}");
        s.AppendLine(inv, $"wall time: {WallTime.TotalSeconds:F1} s; peak concurrency: {Verdict.PeakConcurrency} of {Settings.Slots}");
        var faults = Faults;
        s.AppendLine(inv, $"faults: {faults.Values.Sum()}{(faults.Count == 0 ? "" : " (" + string.Join(", ", faults.Select(f => $"{f.Key} {f.Value}")) + ")")}");
        s.AppendLine(inv, $"repeats after a kill: {Verdict.RepeatsAfterKill.Count}");
        s.AppendLine(inv, $"violations: {Verdict.Violations.Count}");
        foreach (string v in Verdict.Violations)
        {
            s.AppendLine(inv, $"  {v}");
        }

        return s.ToString();
    }
}
