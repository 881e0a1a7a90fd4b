using Lockstep.Logging;
using Lockstep.Parts;
using Lockstep.Processes;

namespace Lockstep.Update;

/// <summary>
/// Runs the executables of <c>notify.d</c> on each event (README, "Notifications"), in the same
/// order and under the same trust checks as every script directory, each bounded by
/// <c>notify_timeout</c>. A failing or hung notifier is logged as a warning; it never changes the workflow.
/// </summary>
public sealed class Notifier(UpdateOptions options, IProcessRunner runner, ILog log, TimeProvider clock, StopSignal stop, ProcessEnvironment environment, PartNameFilter filter) : IUpdateObserver
{
    /// <summary>A notifier's failure is worth a warning, never an error: the update itself is fine.</summary>
    private readonly ILog _log = new LevelCapLog(log, LogLevel.Warn);

    /// <summary>Whether notifiers are configured: <c>notify.d</c> exists (or was set, and is then checked by the preflight).</summary>
    public static bool IsConfigured(UpdateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.NotifyDirectoryRequired || (FileStat.TryStat(options.NotifyDirectory, out var stat) == 0 && stat.IsDirectory);
    }

    public void Event(UpdateEvent e, UpdateStep step, string message)
    {
        var request = new PartsRequest(options.NotifyDirectory, environment.With(
            ("LOCKSTEP_EVENT", e.Name()),
            ("LOCKSTEP_STEP", step.Name()),
            ("LOCKSTEP_MESSAGE", message),
            ("LOCKSTEP_LOCK_NAME", options.LockName),
            ("LOCKSTEP_HOLDER", options.HolderId)))
        {
            NameFilter = filter,
            ContinueOnError = true,
            ScriptTimeout = options.NotifyTimeout,
            KillGrace = options.KillGrace,
        };
        try
        {
            _log.Debug($"notify.d: {e.Name()}");
            var result = new PartsRunner(runner, _log, clock, stop).Run(request);
            if (result.Failed is { } failed)
            {
                _log.Warn($"notifier {failed.Part.Path} failed on {e.Name()} (status {failed.Status}); the update goes on");
            }
        }
        catch (PartsException ex)
        {
            _log.Warn($"notify.d could not run for {e.Name()}: {ex.Message}; the update goes on");
        }
    }

    public void StepChanged(UpdateState state)
    {
    }

    public void ScriptsRan(UpdateStep step, PartsResult result)
    {
    }

    public void LockTaken(TimeSpan waited)
    {
    }

    public void Finished(int exitCode, UpdateState state)
    {
    }
}
