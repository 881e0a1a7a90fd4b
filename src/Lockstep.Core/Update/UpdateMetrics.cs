using Lockstep.Metrics;
using Lockstep.Parts;

namespace Lockstep.Update;

/// <summary>
/// The update's metrics (README, "Metrics"), rewritten whole at every change of step and at the end
/// of the run. The reboot counter and the last success are carried over from the file's previous text.
/// </summary>
public sealed class UpdateMetrics : IUpdateObserver
{
    private readonly MetricsFile _file;
    private readonly TimeProvider _clock;
    private readonly double _runStarted;
    private readonly double? _lastSuccess;
    private readonly double _rebootsBefore;
    private readonly List<(UpdateStep Step, PartRun Run)> _scripts = [];
    private UpdateState _state;
    private int _reboots;
    private double? _lockWait;
    private int? _exitStatus;

    public UpdateMetrics(MetricsFile file, TimeProvider clock, UpdateState state)
    {
        _file = file ?? throw new ArgumentNullException(nameof(file));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _state = state ?? throw new ArgumentNullException(nameof(state));
        _runStarted = Seconds(clock.GetUtcNow());
        string? previous = file.ReadPrevious();
        _lastSuccess = MetricsText.ReadSample(previous, "lockstep_update_last_success_timestamp_seconds");
        _rebootsBefore = MetricsText.ReadSample(previous, "lockstep_update_reboots_requested_total") ?? 0;
    }

    /// <summary>Steps during which this host holds its slot of the lock.</summary>
    public static bool HoldsLock(UpdateStep step) => step is not (UpdateStep.NeedsUpdate or UpdateStep.LockGet);

    public void Event(UpdateEvent e, UpdateStep step, string message)
    {
        if (e == UpdateEvent.Reboot)
        {
            _reboots++;
            Write();
        }
    }

    public void StepChanged(UpdateState state)
    {
        _state = state;
        Write();
    }

    public void ScriptsRan(UpdateStep step, PartsResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _scripts.RemoveAll(s => s.Step == step);
        _scripts.AddRange(result.Runs.Select(run => (step, run)));
    }

    public void LockTaken(TimeSpan waited) => _lockWait = waited.TotalSeconds;

    public void Finished(int exitCode, UpdateState state)
    {
        _state = state;
        _exitStatus = exitCode;
        Write();
    }

    /// <summary>The file's text now (pure given the fields).</summary>
    public string Render()
    {
        var text = new MetricsText();
        text.Family("lockstep_update_step", "gauge", "The step of the update workflow this host is at (1), the others 0; needs_update is idle.");
        foreach (var step in UpdateSteps.All)
        {
            text.Sample("lockstep_update_step", step == _state.Step ? 1 : 0, ("step", step.Name()));
        }

        text.Single("lockstep_update_lock_held", "gauge", "Whether this host holds its slot of the fleet lock (1) or not (0).", HoldsLock(_state.Step) ? 1 : 0);
        text.Single("lockstep_update_last_run_timestamp_seconds", "gauge", "When the latest lockstep update run started, in seconds since the epoch.", _runStarted);
        double? lastSuccess = _exitStatus == UpdateExitCodes.Done ? Seconds(_clock.GetUtcNow()) : _lastSuccess;
        if (lastSuccess is { } success)
        {
            text.Single("lockstep_update_last_success_timestamp_seconds", "gauge", "When a lockstep update run last ended with status 0, in seconds since the epoch.", success);
        }

        if (_exitStatus is { } status)
        {
            text.Single("lockstep_update_exit_status", "gauge", "The exit status of the latest finished lockstep update run (README, exit statuses of update).", status);
        }

        if (_lockWait is { } wait)
        {
            text.Single("lockstep_update_lock_wait_seconds", "gauge", "Seconds this run waited for the fleet lock.", wait);
        }

        text.Single("lockstep_update_reboots_requested_total", "counter", "Times reboot_cmd was run by lockstep update on this host.", _rebootsBefore + _reboots);
        if (_scripts.Count > 0)
        {
            text.Family("lockstep_update_script_duration_seconds", "gauge", "How long each script of this run's steps took.");
            foreach (var (step, run) in _scripts)
            {
                text.Sample("lockstep_update_script_duration_seconds", run.Duration.TotalSeconds, ("step", step.Name()), ("script", run.Part.Name));
            }

            text.Family("lockstep_update_script_exit_status", "gauge", "The exit status of each script of this run's steps (128+N: killed by signal N).");
            foreach (var (step, run) in _scripts)
            {
                text.Sample("lockstep_update_script_exit_status", run.Status, ("step", step.Name()), ("script", run.Part.Name));
            }
        }

        return text.ToString();
    }

    private void Write() => _file.Write(Render());

    private static double Seconds(DateTimeOffset instant) => instant.ToUnixTimeMilliseconds() / 1000.0;
}
