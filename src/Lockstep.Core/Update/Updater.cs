using Lockstep.Config;
using Lockstep.Files;
using Lockstep.Locks;
using Lockstep.Logging;
using Lockstep.Processes;

namespace Lockstep.Update;

/// <summary>Everything <c>lockstep update</c> is given from outside: config path, flags, stderr log, process environment, the operator's stop, time and randomness.</summary>
public sealed record UpdateInvocation(string ConfigPath, UpdateRequest Request, ILog Stderr, ProcessEnvironment Environment, StopSignal Stop)
{
    public IProcessRunner Runner { get; init; } = ProcessRunner.Instance;

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public Func<double> Jitter { get; init; } = Random.Shared.NextDouble;

    public Action<string> Checkpoint { get; init; } = static _ => { };

    /// <summary>Waits for a maintenance window to open; null waits on <see cref="Clock"/> (see <see cref="TestClock"/>).</summary>
    public Func<DateTimeOffset, CancellationToken, Task>? WaitUntil { get; init; }
}

/// <summary>
/// <c>lockstep update</c> from start to end: validate the config, open the log, take the run lock,
/// read the state, check every script, then run the workflow.
/// </summary>
public static class Updater
{
    public static async Task<int> RunAsync(UpdateInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        IniFile ini;
        UpdateOptions options;
        try
        {
            ini = IniFile.Load(invocation.ConfigPath);
            options = UpdateOptionsLoader.Load(ini);
        }
        catch (ConfigException e)
        {
            invocation.Stderr.Error(e.Message);
            return UpdateExitCodes.BadInput;
        }

        DailyFileLog fileLog;
        try
        {
            fileLog = new DailyFileLog(options.LogPath, options.LogRetentionDays, options.LogLevel, invocation.Clock, "update");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            invocation.Stderr.Error($"log file {options.LogPath} ([main] log in {options.ConfigPath}) cannot be opened ({FileFailure.Reason(e, options.LogPath)}); fix the path or run as root");
            return UpdateExitCodes.BadInput;
        }

        using (fileLog)
        {
            var log = new TeeLog(invocation.Stderr, fileLog);
            try
            {
                return await RunLockedAsync(invocation, ini, options, log, cancellationToken).ConfigureAwait(false);
            }
            catch (UpdateException e)
            {
                log.Error(e.Message);
                return e.ExitCode;
            }
            catch (ConfigException e)
            {
                log.Error(e.Message);
                return UpdateExitCodes.BadInput;
            }
        }
    }

    private static async Task<int> RunLockedAsync(UpdateInvocation invocation, IniFile ini, UpdateOptions options, ILog log, CancellationToken cancellationToken)
    {
        // At boot, a host that was not rebooted by an update has nothing to say. The state file is
        // replaced by rename, so reading it without the run lock never sees half a write.
        bool afterReboot = invocation.Request.AfterReboot;
        if (afterReboot && UpdateStateFile.Read(options.StatePath).Step != UpdateStep.PostUpdate)
        {
            return UpdateExitCodes.Done;
        }

        using var runLock = AcquireRunLock(options, afterReboot);
        if (runLock is null)
        {
            return UpdateExitCodes.Done;
        }

        // Under the run lock: a temp file of a writer that is gone was left by a kill before its rename.
        string recordPath = ScriptRecordFile.PathFor(options.StatePath);
        if (UpdateStateFile.RemoveLeftovers(options.StatePath) + UpdateStateFile.RemoveLeftovers(recordPath) is var leftovers and > 0)
        {
            log.Info($"removed {leftovers} temporary state file(s) a killed run left beside {options.StatePath}");
        }

        var state = UpdateStateFile.Read(options.StatePath);
        if (afterReboot && state.Step != UpdateStep.PostUpdate)
        {
            return UpdateExitCodes.Done;
        }

        foreach (string warning in options.Warnings)
        {
            log.Warn(warning);
        }

        state = Reconcile(OneWordPostUpdate.Resolve(state, options, invocation.Request, log), options);
        var fleetOptions = Fleet.FleetOptions.From(ini);
        using var fleetStore = Fleet.FleetStoreFactory.Create(ini, fleetOptions, options.HttpTimeout, log, invocation.Clock);
        var backend = LockBackendFactory.Create(ini, new LockBackendContext(options.HolderId, options.HttpTimeout, log, invocation.Clock));
        var reporter = fleetStore is null
            ? (IUpdateReporter)NoReporter.Instance
            : new Fleet.HostReporter(fleetStore, options.LockName, options.HolderId, Fleet.HostReporter.TryReadBootId(options.BootIdFile), options.HttpTimeout, log, invocation.Clock);
        if (fleetStore is not null)
        {
            backend = new Fleet.PauseGate(backend, fleetStore, options.HttpTimeout, log);
        }

        await using (backend.ConfigureAwait(false))
        {
            var filter = UpdateScripts.NameFilter(invocation.Environment);
            var rebootCommand = UpdatePreflight.Check(options, filter, invocation.Environment, log);
            if (state.Step != UpdateStep.NeedsUpdate)
            {
                log.Info($"resuming an update at {state.Describe()} (state file {options.StatePath})");
            }

            // Under the run lock and before any script: what a killed run left running goes first.
            string ReadBootId() => BootId.Read(options.BootIdFile);
            var leftoverScripts = new LeftoverScripts(LiveLeftoverProcesses.Instance, invocation.Clock, log);
            if (await leftoverScripts.SettleAsync(recordPath, ReadBootId, options.ScriptTimeout, options.KillGrace, invocation.Stop).ConfigureAwait(false) is { } stopped)
            {
                return stopped;
            }

            var runner = new RecordedRunner(invocation.Runner, recordPath, ReadBootId, invocation.Clock, log);
            var services = new UpdateServices(backend, runner, log, invocation.Clock, invocation.Jitter, invocation.Stop)
            {
                Checkpoint = invocation.Checkpoint,
                WaitUntil = invocation.WaitUntil,
                Observer = Observers(invocation, options, state, filter, log),
                Reporter = reporter,
            };
            var workflow = new UpdateWorkflow(options, services, invocation.Request, invocation.Environment, filter, rebootCommand);
            try
            {
                return await workflow.RunAsync(state, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await reporter.FlushAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>The metrics file and notify.d, those that are configured.</summary>
    private static UpdateObservers Observers(UpdateInvocation invocation, UpdateOptions options, UpdateState state, Parts.PartNameFilter filter, ILog log)
    {
        var observers = new List<IUpdateObserver>();
        if (options.MetricsFile is { } path)
        {
            observers.Add(new UpdateMetrics(new Metrics.MetricsFile(path, "[main] metrics_file", log), invocation.Clock, state));
        }

        if (Notifier.IsConfigured(options))
        {
            observers.Add(new Notifier(options, invocation.Runner, log, invocation.Clock, invocation.Stop, invocation.Environment, filter));
        }

        return new UpdateObservers([.. observers]);
    }

    /// <summary>
    /// <c>--check-window</c>: writes whether a maintenance window is open now and when the next
    /// opens; 0 when the lock may be taken now, 6 when not, 3 for a bad configuration.
    /// </summary>
    public static int CheckWindow(UpdateInvocation invocation, TextWriter stdout)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(stdout);
        UpdateOptions options;
        try
        {
            options = UpdateOptionsLoader.Load(IniFile.Load(invocation.ConfigPath));
        }
        catch (ConfigException e)
        {
            invocation.Stderr.Error(e.Message);
            return UpdateExitCodes.BadInput;
        }

        var (usable, text) = WindowReport.Describe(options.Windows, options.WindowMinRemaining, invocation.Clock);
        stdout.WriteLine(text);
        return usable ? UpdateExitCodes.Done : UpdateExitCodes.OutsideWindow;
    }

    /// <summary>The run lock, or null at boot when another run holds it: that run continues the update.</summary>
    private static FileLock? AcquireRunLock(UpdateOptions options, bool afterReboot)
    {
        try
        {
            return RunLock.Acquire(options.RunLockPath);
        }
        catch (UpdateException e) when (afterReboot && e.ExitCode == UpdateExitCodes.AlreadyRunning)
        {
            return null;
        }
    }

    /// <summary>
    /// A state under the lock must name the lock and holder configured now, or the run would work
    /// (and release) under another lock; foreman_dlm_updater's one-word state names neither and takes the configured ones.
    /// </summary>
    internal static UpdateState Reconcile(UpdateState state, UpdateOptions options)
    {
        bool sameLock = state.Step == UpdateStep.NeedsUpdate || state.LockName is null || state.LockName == options.LockName;
        bool sameHolder = state.Step == UpdateStep.NeedsUpdate || state.HolderId is null || state.HolderId == options.HolderId;
        if (!sameLock || !sameHolder)
        {
            throw new UpdateException(
                $"state file {options.StatePath} records lock '{state.LockName}' taken by '{state.HolderId}', but {options.ConfigPath} now says lock_name '{options.LockName}' " +
                $"and holder '{options.HolderId}'; restore those settings to finish the update, or release the recorded lock by hand and remove the state file",
                UpdateExitCodes.BadInput);
        }

        return state with { LockName = options.LockName, HolderId = options.HolderId };
    }
}
