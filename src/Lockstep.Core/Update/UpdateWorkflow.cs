using Lockstep.Files;
using Lockstep.Locks;
using Lockstep.Logging;
using Lockstep.Parts;
using Lockstep.Processes;

namespace Lockstep.Update;

/// <summary>
/// Runs the update state machine from a recorded state: one handler per step decides the next step
/// or stops; every move goes through <see cref="UpdateTransitions.Move"/> and is written to the
/// state file before the next side effect, so kill -9 anywhere resumes at a step that had not completed.
/// </summary>
public sealed partial class UpdateWorkflow
{
    private readonly UpdateOptions _options;
    private readonly UpdateServices _services;
    private readonly ILog _log;
    private readonly ProcessEnvironment _environment;
    private readonly PartNameFilter _filter;
    private readonly IReadOnlyList<string> _rebootCommand;
    private readonly UpdateRequest _request;
    private UpdateState _state = UpdateState.Idle;
    private bool _lockConfirmed;

    /// <param name="rebootCommand">reboot_cmd with its program resolved (<see cref="UpdatePreflight"/>).</param>
    public UpdateWorkflow(UpdateOptions options, UpdateServices services, UpdateRequest request, ProcessEnvironment environment, PartNameFilter filter, IReadOnlyList<string> rebootCommand)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _services = services ?? throw new ArgumentNullException(nameof(services));
        _request = request ?? throw new ArgumentNullException(nameof(request));
        _log = services.Log;
        _environment = environment;
        _filter = filter;
        _rebootCommand = rebootCommand;
    }

    /// <summary>Runs from <paramref name="state"/> until the workflow is over or must stop; returns the exit status.</summary>
    public async Task<int> RunAsync(UpdateState state, CancellationToken cancellationToken)
    {
        _state = state ?? throw new ArgumentNullException(nameof(state));
        try
        {
            while (true)
            {
                if (SignalForwarder.ReceivedSignal is > 0 and int signal)
                {
                    return Stop(StepOutcome.Interrupted(_state.Step, signal));
                }

                var step = _state.Step;
                _services.Checkpoint($"before:{step.Name()}");
                var outcome = await RunStepAsync(step, cancellationToken).ConfigureAwait(false);
                if (outcome.Next is not { } next)
                {
                    return Stop(outcome);
                }

                _services.Checkpoint($"after:{step.Name()}");
                Advance(next);
                if (_state.Step == UpdateStep.NeedsUpdate)
                {
                    _log.Info($"update finished: lock '{_options.LockName}' released, state cleared");
                    _services.Reporter.Stopped(new UpdateStop(UpdateStep.NeedsUpdate, UpdateExitCodes.Done, "update finished"));
                    return UpdateExitCodes.Done;
                }
            }
        }
        catch (UpdateException e)
        {
            _log.Error(e.Message);
            _services.Reporter.Stopped(new UpdateStop(_state.Step, e.ExitCode, e.Message));
            return e.ExitCode;
        }
        catch (LockException e)
        {
            _log.Error(DescribeLockFailure(e));
            _services.Reporter.Stopped(new UpdateStop(_state.Step, UpdateExitCodes.LockFailed, DescribeLockFailure(e), WaitingForLock: e.Kind == LockErrorKind.HeldByOther));
            return UpdateExitCodes.LockFailed;
        }
        catch (OperationCanceledException) when (SignalForwarder.ReceivedSignal > 0)
        {
            return Stop(StepOutcome.Interrupted(_state.Step, SignalForwarder.ReceivedSignal));
        }
    }

    private Task<StepOutcome> RunStepAsync(UpdateStep step, CancellationToken cancellationToken) => step switch
    {
        UpdateStep.NeedsUpdate => Task.FromResult(NeedsUpdate()),
        UpdateStep.LockGet => LockGetAsync(cancellationToken),
        UpdateStep.PreUpdate or UpdateStep.Update => UnderLockAsync(step, cancellationToken),
        UpdateStep.NeedsReboot => NeedsRebootAsync(cancellationToken),
        UpdateStep.Reboot => RebootAsync(cancellationToken),
        UpdateStep.PostUpdate => PostUpdateAsync(cancellationToken),
        UpdateStep.LockRelease => LockReleaseAsync(cancellationToken),
        _ => throw new InvalidOperationException($"no handler for step {step}"),
    };

    /// <summary>Moves to <paramref name="next"/> and records it durably before anything else happens.</summary>
    private void Advance(UpdateStep next, PendingReboot? reboot = null)
    {
        var moved = UpdateTransitions.Move(_state, next, _services.Clock.GetUtcNow(), reboot);
        try
        {
            if (moved.Step == UpdateStep.NeedsUpdate)
            {
                UpdateStateFile.Clear(_options.StatePath);
            }
            else
            {
                UpdateStateFile.Write(_options.StatePath, moved);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UpdateException(
                $"state file {_options.StatePath} ([main] state) cannot be written ({FileFailure.Reason(e, _options.StatePath)}); it still says {_state.Step.Name()}, " +
                $"so nothing past it was done. Fix the path, permissions or free space and run lockstep update again",
                UpdateExitCodes.BadInput);
        }

        _log.Debug($"state: {_state.Step.Name()} -> {moved.Describe()}");
        _state = moved;
        _services.Reporter.StepChanged(moved);
    }

    private int Stop(StepOutcome outcome)
    {
        if (outcome.Message is { } message)
        {
            _log.Write(outcome.Level, message);
        }

        _services.Reporter.Stopped(new UpdateStop(_state.Step, outcome.ExitCode, outcome.Message, outcome.Failure));

        return outcome.ExitCode;
    }

    private string DescribeLockFailure(LockException e) => e.Kind switch
    {
        LockErrorKind.HeldByOther => $"{e.Message}; the state is kept ({_state.Step.Name()}) and the next run waits again",
        LockErrorKind.Refused => $"lock '{_options.LockName}' refused: {e.Message}; waiting would not help, so this run stopped (state kept at {_state.Step.Name()})",
        LockErrorKind.Unreachable => $"{e.Message}; the state is kept ({_state.Step.Name()}) and the next run tries again",
        _ => $"{e.Message}; the state is kept ({_state.Step.Name()})",
    };
}
