using Lockstep.History;
using Lockstep.Metrics;

namespace Lockstep.Refresh;

/// <summary>The refresh's metrics (README, "Metrics"), rendered from its finished run record: pure.</summary>
public static class RefreshMetrics
{
    private const string LastSuccess = "lockstep_refresh_last_success_timestamp_seconds";

    /// <param name="previous">The file's earlier text, for the last success of earlier runs.</param>
    public static string Render(RunRecord record, string? previous)
    {
        ArgumentNullException.ThrowIfNull(record);
        double started = record.StartedAt.ToUnixTimeMilliseconds() / 1000.0;
        double? lastSuccess = record.Outcome == RunOutcome.Succeeded && record.FinishedAt is { } end
            ? end.ToUnixTimeMilliseconds() / 1000.0
            : MetricsText.ReadSample(previous, LastSuccess);
        var text = new MetricsText()
            .Single("lockstep_refresh_last_run_timestamp_seconds", "gauge", "When the latest lockstep refresh started, in seconds since the epoch.", started);
        if (lastSuccess is { } success)
        {
            text.Single(LastSuccess, "gauge", "When a lockstep refresh last succeeded, in seconds since the epoch.", success);
        }

        text.Single("lockstep_refresh_exit_status", "gauge", "The exit status of the latest lockstep refresh.", record.ExitStatus ?? -1)
            .Single("lockstep_refresh_duration_seconds", "gauge", "How long the latest lockstep refresh took.", record.DurationSeconds ?? 0)
            .Family("lockstep_refresh_outcome", "gauge", "The outcome of the latest lockstep refresh (1), the others 0.");
        foreach (var outcome in Enum.GetValues<RunOutcome>().Where(o => o != RunOutcome.Running))
        {
            text.Sample("lockstep_refresh_outcome", outcome == record.Outcome ? 1 : 0, ("outcome", RunOutcomeJsonConverter.Name(outcome)));
        }

        var phases = record.Phases.Concat(record.ErrorHandlers is { } handlers ? [handlers] : []).ToList();
        if (phases.Count > 0)
        {
            text.Family("lockstep_refresh_phase_duration_seconds", "gauge", "How long each phase of the latest lockstep refresh took (error.d as phase error).");
            foreach (var phase in phases)
            {
                text.Sample("lockstep_refresh_phase_duration_seconds", phase.DurationSeconds ?? 0, ("phase", phase.Name));
            }

            text.Family("lockstep_refresh_phase_outcome", "gauge", "The outcome of each phase of the latest lockstep refresh (1 for its outcome).");
            foreach (var phase in phases)
            {
                text.Sample("lockstep_refresh_phase_outcome", 1, ("phase", phase.Name), ("outcome", RunOutcomeJsonConverter.Name(phase.Outcome)));
            }
        }

        return text.ToString();
    }
}
