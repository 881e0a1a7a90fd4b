using System.Reflection;
using Lockstep.Files;
using Lockstep.Locks;
using Lockstep.Logging;
using Lockstep.Update;

namespace Lockstep.Fleet;

/// <summary>
/// Writes this host's report to the fleet store at every step change and stop, in order, each write
/// bounded by <c>http_timeout</c>. Best effort: a failure is one warning line, the run goes on
/// unchanged, and the rest of this run's reports are skipped (an unreachable store would otherwise
/// cost a timeout at every step).
/// </summary>
public sealed class HostReporter(IFleetStore store, string lockName, string holderId, string? bootId, TimeSpan timeout, ILog log, TimeProvider clock) : IUpdateReporter
{
    private static readonly string? Version = typeof(HostReporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    private Task _chain = Task.CompletedTask;
    private bool _readPrevious;
    private bool _givenUp;
    private bool _released;
    private HostReport? _last;

    public void StepChanged(UpdateState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var now = clock.GetUtcNow();
        _released |= state.Step == UpdateStep.LockRelease;
        if (state.Step == UpdateStep.NeedsUpdate)
        {
            // The update is over: the end report (Stopped) says so, once.
            return;
        }

        string step = state.Step.Name();
        Enqueue(previous => Report(previous, now) with
        {
            Step = step,
            StepSince = state.Since ?? now,
            Outcome = state.Reboot is null ? ReportOutcome.WhileAt(state.Step) : ReportOutcome.WaitingReboot,
            Timeline = Timeline(previous, new TimelineEntry(now, step)),
        });
    }

    public void Stopped(UpdateStop stop)
    {
        ArgumentNullException.ThrowIfNull(stop);
        var now = clock.GetUtcNow();
        string outcome = ReportOutcome.ForStop(stop.ExitStatus, stop.WaitingForLock, _released);
        string step = stop.Step.Name();
        Enqueue(previous => Report(previous, now) with
        {
            Step = step,
            StepSince = previous?.Step == step ? previous.StepSince : now,
            Outcome = outcome,
            Message = stop.Message,
            ExitStatus = stop.ExitStatus,
            Failure = stop.Failure,
            LastUpdateAt = outcome == ReportOutcome.Done ? now : previous?.LastUpdateAt,
            Timeline = Timeline(previous, new TimelineEntry(now, step, outcome, stop.Message)),
        });
    }

    public Task FlushAsync() => _chain;

    /// <summary>The boot id for the report, or null when it cannot be read (the workflow says why when it needs it).</summary>
    public static string? TryReadBootId(string path)
    {
        try
        {
            return System.Text.Encoding.UTF8.GetString(BoundedFile.Read(path, 4096)).Trim() is { Length: > 0 } id ? id : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private HostReport Report(HostReport? previous, DateTimeOffset now) => new()
    {
        Holder = holderId,
        Lock = lockName,
        Step = previous?.Step ?? UpdateStep.NeedsUpdate.Name(),
        StepSince = previous?.StepSince ?? now,
        Outcome = ReportOutcome.Running,
        BootId = bootId,
        Version = Version,
        ReportedAt = now,
        LastUpdateAt = previous?.LastUpdateAt,
    };

    private static IReadOnlyList<TimelineEntry> Timeline(HostReport? previous, TimelineEntry entry) =>
        [.. (previous?.Timeline ?? []).Append(entry).TakeLast(HostReport.TimelineLength)];

    private void Enqueue(Func<HostReport?, HostReport> build) => _chain = WriteAfterAsync(_chain, build);

    private async Task WriteAfterAsync(Task previous, Func<HostReport?, HostReport> build)
    {
        await previous.ConfigureAwait(false);
        if (_givenUp)
        {
            return;
        }

        string key = FleetKeys.Host(lockName, holderId);
        using var bound = new CancellationTokenSource(timeout, clock);
        try
        {
            if (!_readPrevious)
            {
                // The timeline and the last completed update go on from the report of earlier runs.
                var entry = await store.GetAsync(key, bound.Token).ConfigureAwait(false);
                _last = entry is null ? null : FleetJson.ParseReport(entry.Value, out _);
                _readPrevious = true;
            }

            var report = build(_last);
            await store.PutAsync(key, FleetJson.Serialize(report), bound.Token).ConfigureAwait(false);
            _last = report;
        }
        catch (Exception e) when (e is LockException or OperationCanceledException or IOException or UnauthorizedAccessException)
        {
            _givenUp = true;
            string reason = e is OperationCanceledException ? $"no answer within http_timeout ({timeout.TotalSeconds:0.#} s)" : e.Message;
            log.Warn($"fleet report not written to {store.Describe}: {reason}; the update goes on, without reports for the rest of this run");
        }
    }
}
