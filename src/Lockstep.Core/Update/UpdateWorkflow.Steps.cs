using Lockstep.Logging;
using Lockstep.Parts;
using Lockstep.Processes;

namespace Lockstep.Update;

/// <summary>One handler per step (README "lockstep update"): each runs its step and reports what it found, never where to go.</summary>
public sealed partial class UpdateWorkflow
{
    private UpdateFact NeedsUpdate()
    {
        var result = RunScripts(UpdateStep.NeedsUpdate, continueOnError: true, exitIsAnswer: true);
        if (result.End == PartsEnd.Interrupted)
        {
            return UpdateFact.Interrupted(UpdateStep.NeedsUpdate, result.ExitStatus - 128);
        }

        if (result.Runs.Count == 0)
        {
            return new UpdateFact(UpdateFactKind.NoScripts, $"no needs_update scripts in {_options.ScriptDirectories[UpdateStep.NeedsUpdate]}: nothing to do");
        }

        if (result.Succeeded)
        {
            return new UpdateFact(UpdateFactKind.ScriptsPassed, "no updates needed (every needs_update script exited 0)");
        }

        _log.Info($"updates available ({result.Failed!.Part.Name} exited {result.Failed.Status})");
        return new UpdateFact(UpdateFactKind.ScriptSaidYes);
    }

    private async Task<UpdateFact> LockGetAsync(CancellationToken cancellationToken)
    {
        // A wait for the lock stops when the window no longer leaves enough time; the check then ends the run.
        do
        {
            if (OutsideWindow() is { } closed)
            {
                return closed;
            }
        }
        while (!await ConfirmLockAsync(cancellationToken).ConfigureAwait(false));

        Notify(UpdateEvent.LockAcquired, $"lock '{_options.LockName}' acquired as {_options.HolderId}");
        return new UpdateFact(UpdateFactKind.LockAcquired);
    }

    /// <summary>pre_update, update and post_update: scripts under the lock, stopping at the first failure.</summary>
    private async Task<UpdateFact> UnderLockAsync(UpdateStep step, CancellationToken cancellationToken)
    {
        await ConfirmLockAsync(cancellationToken).ConfigureAwait(false);
        var result = RunScripts(step, continueOnError: false, exitIsAnswer: false);
        return result.End switch
        {
            PartsEnd.Succeeded => new UpdateFact(UpdateFactKind.ScriptsPassed),
            PartsEnd.Interrupted => UpdateFact.Interrupted(step, result.ExitStatus - 128),
            _ => new UpdateFact(UpdateFactKind.ScriptFailed,
                $"{step.Name()} failed ({result.Failed!.Part.Path} exited {result.Failed.Status}); lock '{_options.LockName}' stays held so the rollout stops here. " +
                $"Fix the host and run lockstep update again: it retries {step.Name()}") with { Failure = new(step.Name(), result.Failed.Part.Path, result.Failed.Status) },
        };
    }

    private async Task<UpdateFact> NeedsRebootAsync(CancellationToken cancellationToken)
    {
        await ConfirmLockAsync(cancellationToken).ConfigureAwait(false);
        var result = RunScripts(UpdateStep.NeedsReboot, continueOnError: false, exitIsAnswer: true);
        if (result.End == PartsEnd.Interrupted)
        {
            return UpdateFact.Interrupted(UpdateStep.NeedsReboot, result.ExitStatus - 128);
        }

        if (result.Runs.Count == 0)
        {
            _log.Info("no needs_reboot scripts: rebooting, as foreman_dlm_updater did");
            return new UpdateFact(UpdateFactKind.NoScripts);
        }

        if (result.Succeeded)
        {
            _log.Info("no reboot needed");
            return new UpdateFact(UpdateFactKind.ScriptsPassed);
        }

        _log.Info($"reboot needed ({result.Failed!.Part.Name} exited {result.Failed.Status})");
        return new UpdateFact(UpdateFactKind.ScriptSaidYes);
    }

    /// <summary>Reads the boot id; the loop records it (reboot → post_update) before reboot_cmd runs.</summary>
    private async Task<UpdateFact> RebootAsync(CancellationToken cancellationToken)
    {
        await ConfirmLockAsync(cancellationToken).ConfigureAwait(false);
        await WaitForWindowAsync(cancellationToken).ConfigureAwait(false);
        string bootId = BootId.Read(_options.BootIdFile);
        return new UpdateFact(UpdateFactKind.BootIdRecorded) { Reboot = new PendingReboot(bootId, _services.Clock.GetUtcNow()) };
    }

    /// <summary>Runs reboot_cmd once the reboot is recorded; a host that is still up afterwards waits for it.</summary>
    private UpdateFact RunRebootCommand()
    {
        string bootId = _state.Reboot!.BootId;
        string command = string.Join(' ', _rebootCommand);
        string rebooting = $"rebooting: {command} (post_update runs once the boot id is no longer {bootId})";
        _log.Info(rebooting);
        Notify(UpdateEvent.Reboot, rebooting, UpdateStep.Reboot);
        ProcessOutcome outcome;
        using (var checkedCommand = UpdatePreflight.OpenRebootCommand(_options, _rebootCommand[0]))
        {
            outcome = _services.Runner.Run(new ProcessSpec(
                _rebootCommand[0], [.. _rebootCommand.Skip(1)], StepEnvironment(UpdateStep.Reboot), _options.ScriptTimeout, _options.KillGrace, Executable: checkedCommand.Leaf));
        }

        if (_services.Stop.Requested)
        {
            return UpdateFact.Interrupted(UpdateStep.Reboot, _services.Stop.Received);
        }

        return outcome.Succeeded
            ? new UpdateFact(UpdateFactKind.RebootReturned,
                $"reboot_cmd '{command}' returned and the host is still up; lock '{_options.LockName}' stays held. " +
                "post_update runs after the reboot (lockstep update --after-reboot at boot, or the next lockstep update)")
            : new UpdateFact(UpdateFactKind.RebootFailed,
                $"reboot_cmd '{command}' failed with status {outcome.ShellStatus}; the host did not reboot and lock '{_options.LockName}' stays held. " +
                "Fix reboot_cmd: the next lockstep update runs it again") with { Failure = new(UpdateStep.Reboot.Name(), command, outcome.ShellStatus) };
    }

    private async Task<UpdateFact> PostUpdateAsync(CancellationToken cancellationToken)
    {
        if (_state.Reboot is not { } reboot)
        {
            return await UnderLockAsync(UpdateStep.PostUpdate, cancellationToken).ConfigureAwait(false);
        }

        string bootId = BootId.Read(_options.BootIdFile);
        if (reboot.HappenedBy(bootId) || _request.AssumeRebooted)
        {
            _log.Info(reboot.HappenedBy(bootId)
                ? $"the host has rebooted (boot id {reboot.BootId} -> {bootId})"
                : $"boot id unchanged ({bootId}), but --assume-rebooted says the host has rebooted");
            return new UpdateFact(UpdateFactKind.RebootObserved);
        }

        if (_request.AfterReboot)
        {
            return new UpdateFact(UpdateFactKind.RebootAwaited,
                $"the host has not rebooted since reboot_cmd ran at {reboot.RequestedAt:yyyy-MM-dd HH:mm:ss zzz} (boot id still {bootId}); " +
                "post_update waits for the reboot. Run lockstep update to reboot again, or add --assume-rebooted if the host did reboot");
        }

        _log.Warn($"the host has not rebooted since reboot_cmd ran at {reboot.RequestedAt:yyyy-MM-dd HH:mm:ss zzz} (boot id still {bootId}); running the reboot step again");
        return new UpdateFact(UpdateFactKind.RebootPending);
    }

    private async Task<UpdateFact> LockReleaseAsync(CancellationToken cancellationToken)
    {
        _log.Info($"releasing lock '{_options.LockName}' ({_services.Backend.Describe})");
        await _services.Backend.ReleaseAsync(_options.LockName, _options.HolderId, cancellationToken).ConfigureAwait(false);
        return new UpdateFact(UpdateFactKind.LockReleased);
    }

    /// <summary>
    /// Takes the lock, or makes sure this host still holds it when a run resumes a step under the
    /// lock (acquiring is idempotent): after a crash or a release by hand, no step runs unlocked.
    /// </summary>
    /// <returns>False when a wait for the lock at lock_get stopped because the maintenance window closed.</returns>
    private async Task<bool> ConfirmLockAsync(CancellationToken cancellationToken)
    {
        if (_lockConfirmed)
        {
            return true;
        }

        _log.Info(_state.Step == UpdateStep.LockGet
            ? $"acquiring lock '{_options.LockName}' as {_options.HolderId} ({_services.Backend.Describe})"
            : $"resuming at {_state.Step.Name()}: confirming that {_options.HolderId} holds lock '{_options.LockName}' ({_services.Backend.Describe})");
        var waiter = new LockWaiter(_services.Backend, _services.Clock, _services.Jitter, _log);
        var waited = await waiter.AcquireAsync(_options.LockName, _options.HolderId, _options.LockRetryInterval, _options.LockWaitTimeout, cancellationToken,
            _state.Step == UpdateStep.LockGet ? MayTakeLock : null).ConfigureAwait(false);
        if (waited is not { } time)
        {
            return false;
        }

        _services.Observer.LockTaken(time);
        _lockConfirmed = true;
        return true;
    }

    private PartsResult RunScripts(UpdateStep step, bool continueOnError, bool exitIsAnswer)
    {
        string dir = _options.ScriptDirectories[step];
        _log.Info($"{step.Name()}: running the scripts of {dir}");
        var request = new PartsRequest(dir, StepEnvironment(step))
        {
            NameFilter = _filter,
            ContinueOnError = continueOnError,
            ScriptTimeout = _options.ScriptTimeout,
            KillGrace = _options.KillGrace,
        };
        try
        {
            var log = exitIsAnswer ? new LevelCapLog(_log, LogLevel.Info) : _log;
            var result = new PartsRunner(_services.Runner, log, _services.Clock, _services.Stop).Run(request);
            _services.Observer.ScriptsRan(step, result);
            return result;
        }
        catch (PartsException e)
        {
            throw new UpdateException($"{step.Name()} could not run: {e.Message}; the state is kept and the next run retries {step.Name()}", UpdateExitCodes.StepFailed);
        }
    }

    private ProcessEnvironment StepEnvironment(UpdateStep step) =>
        _environment.With(("LOCKSTEP_STEP", step.Name()), ("LOCKSTEP_LOCK_NAME", _options.LockName));
}
