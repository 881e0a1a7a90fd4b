using Lockstep.Logging;
using Lockstep.Parts;
using Lockstep.Processes;

namespace Lockstep.Update;

/// <summary>One handler per step (SPEC.md section 4's table).</summary>
public sealed partial class UpdateWorkflow
{
    private StepOutcome NeedsUpdate()
    {
        var result = RunScripts(UpdateStep.NeedsUpdate, continueOnError: true, exitIsAnswer: true);
        if (result.End == PartsEnd.Interrupted)
        {
            return StepOutcome.Interrupted(UpdateStep.NeedsUpdate, result.ExitStatus - 128);
        }

        if (result.Runs.Count == 0)
        {
            return StepOutcome.Finish($"no needs_update scripts in {_options.ScriptDirectories[UpdateStep.NeedsUpdate]}: nothing to do");
        }

        if (result.Succeeded)
        {
            return StepOutcome.Finish("no updates needed (every needs_update script exited 0)");
        }

        _log.Info($"updates available ({result.Failed!.Part.Name} exited {result.Failed.Status})");
        return StepOutcome.Go(UpdateStep.LockGet);
    }

    private async Task<StepOutcome> LockGetAsync(CancellationToken cancellationToken)
    {
        await ConfirmLockAsync(cancellationToken).ConfigureAwait(false);
        return StepOutcome.Go(UpdateStep.PreUpdate);
    }

    private async Task<StepOutcome> UnderLockAsync(UpdateStep step, CancellationToken cancellationToken)
    {
        await ConfirmLockAsync(cancellationToken).ConfigureAwait(false);
        var result = RunScripts(step, continueOnError: false, exitIsAnswer: false);
        return result.End switch
        {
            PartsEnd.Succeeded => StepOutcome.Go(step switch
            {
                UpdateStep.PreUpdate => UpdateStep.Update,
                UpdateStep.Update => UpdateStep.NeedsReboot,
                _ => UpdateStep.LockRelease,
            }),
            PartsEnd.Interrupted => StepOutcome.Interrupted(step, result.ExitStatus - 128),
            _ => StepOutcome.Fail(UpdateExitCodes.StepFailed,
                $"{step.Name()} failed ({result.Failed!.Part.Path} exited {result.Failed.Status}); lock '{_options.LockName}' stays held so the rollout stops here. " +
                $"Fix the host and run lockstep update again: it retries {step.Name()}") with { Failure = new(step.Name(), result.Failed.Part.Path, result.Failed.Status) },
        };
    }

    private async Task<StepOutcome> NeedsRebootAsync(CancellationToken cancellationToken)
    {
        await ConfirmLockAsync(cancellationToken).ConfigureAwait(false);
        var result = RunScripts(UpdateStep.NeedsReboot, continueOnError: false, exitIsAnswer: true);
        if (result.End == PartsEnd.Interrupted)
        {
            return StepOutcome.Interrupted(UpdateStep.NeedsReboot, result.ExitStatus - 128);
        }

        if (result.Runs.Count == 0)
        {
            _log.Info("no needs_reboot scripts: rebooting, as foreman_dlm_updater did");
            return StepOutcome.Go(UpdateStep.Reboot);
        }

        if (result.Succeeded)
        {
            _log.Info("no reboot needed");
            return StepOutcome.Go(UpdateStep.PostUpdate);
        }

        _log.Info($"reboot needed ({result.Failed!.Part.Name} exited {result.Failed.Status})");
        return StepOutcome.Go(UpdateStep.Reboot);
    }

    private async Task<StepOutcome> RebootAsync(CancellationToken cancellationToken)
    {
        await ConfirmLockAsync(cancellationToken).ConfigureAwait(false);
        string bootId = BootId.Read(_options.BootIdFile);
        Advance(UpdateStep.PostUpdate, new PendingReboot(bootId, _services.Clock.GetUtcNow()));
        _services.Checkpoint("reboot-recorded");
        string command = string.Join(' ', _rebootCommand);
        _log.Info($"rebooting: {command} (post_update runs once the boot id is no longer {bootId})");
        // The fleet should see "waiting for the reboot" before the host goes down (bounded by http_timeout).
        await _services.Reporter.FlushAsync().ConfigureAwait(false);
        var outcome = _services.Runner.Run(new ProcessSpec(_rebootCommand[0], [.. _rebootCommand.Skip(1)], StepEnvironment(UpdateStep.Reboot), _options.ScriptTimeout, _options.KillGrace));
        if (SignalForwarder.ReceivedSignal is > 0 and int signal)
        {
            return StepOutcome.Interrupted(UpdateStep.Reboot, signal);
        }

        return outcome.Succeeded
            ? new StepOutcome(null, UpdateExitCodes.AwaitingReboot,
                $"reboot_cmd '{command}' returned and the host is still up; lock '{_options.LockName}' stays held. " +
                "post_update runs after the reboot (lockstep update --after-reboot at boot, or the next lockstep update)", LogLevel.Warn)
            : StepOutcome.Fail(UpdateExitCodes.StepFailed,
                $"reboot_cmd '{command}' failed with status {outcome.ShellStatus}; the host did not reboot and lock '{_options.LockName}' stays held. " +
                "Fix reboot_cmd: the next lockstep update runs it again") with { Failure = new(UpdateStep.Reboot.Name(), command, outcome.ShellStatus) };
    }

    private async Task<StepOutcome> PostUpdateAsync(CancellationToken cancellationToken)
    {
        if (_state.Reboot is { } reboot)
        {
            string bootId = BootId.Read(_options.BootIdFile);
            if (reboot.HappenedBy(bootId) || _request.AssumeRebooted)
            {
                _log.Info(reboot.HappenedBy(bootId)
                    ? $"the host has rebooted (boot id {reboot.BootId} -> {bootId})"
                    : $"boot id unchanged ({bootId}), but --assume-rebooted says the host has rebooted");
                Advance(UpdateStep.PostUpdate);
            }
            else if (_request.AfterReboot)
            {
                return StepOutcome.Fail(UpdateExitCodes.AwaitingReboot,
                    $"the host has not rebooted since reboot_cmd ran at {reboot.RequestedAt:yyyy-MM-dd HH:mm:ss zzz} (boot id still {bootId}); " +
                    "post_update waits for the reboot. Run lockstep update to reboot again, or add --assume-rebooted if the host did reboot");
            }
            else
            {
                _log.Warn($"the host has not rebooted since reboot_cmd ran at {reboot.RequestedAt:yyyy-MM-dd HH:mm:ss zzz} (boot id still {bootId}); running the reboot step again");
                return StepOutcome.Go(UpdateStep.Reboot);
            }
        }

        return await UnderLockAsync(UpdateStep.PostUpdate, cancellationToken).ConfigureAwait(false);
    }

    private async Task<StepOutcome> LockReleaseAsync(CancellationToken cancellationToken)
    {
        _log.Info($"releasing lock '{_options.LockName}' ({_services.Backend.Describe})");
        await _services.Backend.ReleaseAsync(_options.LockName, _options.HolderId, cancellationToken).ConfigureAwait(false);
        return StepOutcome.Go(UpdateStep.NeedsUpdate);
    }

    /// <summary>
    /// Takes the lock, or makes sure this host still holds it when a run resumes a step under the
    /// lock (acquiring is idempotent): after a crash or a release by hand, no step runs unlocked.
    /// </summary>
    private async Task ConfirmLockAsync(CancellationToken cancellationToken)
    {
        if (_lockConfirmed)
        {
            return;
        }

        _log.Info(_state.Step == UpdateStep.LockGet
            ? $"acquiring lock '{_options.LockName}' as {_options.HolderId} ({_services.Backend.Describe})"
            : $"resuming at {_state.Step.Name()}: confirming that {_options.HolderId} holds lock '{_options.LockName}' ({_services.Backend.Describe})");
        var waiter = new LockWaiter(_services.Backend, _services.Clock, _services.Jitter, _log);
        await waiter.AcquireAsync(_options.LockName, _options.HolderId, _options.LockRetryInterval, _options.LockWaitTimeout, cancellationToken).ConfigureAwait(false);
        _lockConfirmed = true;
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
            return new PartsRunner(_services.Runner, log, _services.Clock).Run(request);
        }
        catch (PartsException e)
        {
            throw new UpdateException($"{step.Name()} could not run: {e.Message}; the state is kept and the next run retries {step.Name()}", UpdateExitCodes.StepFailed);
        }
    }

    private ProcessEnvironment StepEnvironment(UpdateStep step) =>
        _environment.With(("LOCKSTEP_STEP", step.Name()), ("LOCKSTEP_LOCK_NAME", _options.LockName));
}
