using Lockstep.Files;
using Lockstep.Locks;
using Lockstep.Logging;
using Lockstep.Parts;
using Lockstep.Processes;

namespace Lockstep.Update;

/// <summary>
/// Runs the update state machine from a recorded state: each step's handler reports what it found
/// (an <see cref="UpdateFact"/>), <see cref="UpdateTransitions.Next"/> says what follows, and this
/// loop alone moves the state and writes it to the state file before the next side effect, so
/// kill -9 anywhere resumes at a step that had not completed.
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
        int status = await RunStepsAsync(cancellationToken).ConfigureAwait(false);
        _services.Observer.Finished(status, _state);
        return status;
    }

    private async Task<int> RunStepsAsync(CancellationToken cancellationToken)
    {
        var stop = _services.Stop;
        try
        {
            // A move from post_update to itself (the reboot confirmed) passes no crash point: the step goes on.
            bool reentered = false;
            bool runRebootCommand = false;
            while (true)
            {
                var step = _state.Step;
                UpdateFact fact;
                if (stop.Requested)
                {
                    fact = UpdateFact.Interrupted(step, stop.Received);
                }
                else if (runRebootCommand)
                {
                    // The fleet should see "waiting for the reboot" before the host goes down (bounded by http_timeout).
                    await _services.Reporter.FlushAsync().ConfigureAwait(false);
                    fact = RunRebootCommand();
                }
                else
                {
                    if (!reentered)
                    {
                        _services.Checkpoint($"before:{step.Name()}");
                    }

                    fact = await RunStepAsync(step, cancellationToken).ConfigureAwait(false);
                }

                var decision = UpdateTransitions.Next(_state, fact);
                if (decision.To is not { } next)
                {
                    return Stop(decision, fact);
                }

                reentered = next == step;
                if (!reentered)
                {
                    _services.Checkpoint($"after:{step.Name()}");
                }

                Advance(next, fact.Reboot);
                if (_state.Step == UpdateStep.NeedsUpdate)
                {
                    string finished = $"update finished: lock '{_options.LockName}' released, state cleared";
                    _log.Info(finished);
                    Notify(UpdateEvent.UpdateFinished, finished, UpdateStep.LockRelease);
                    _services.Reporter.Stopped(new UpdateStop(UpdateStep.NeedsUpdate, UpdateExitCodes.Done, "update finished"));
                    return UpdateExitCodes.Done;
                }

                runRebootCommand = decision.RunsRebootCommand;
                if (runRebootCommand)
                {
                    _services.Checkpoint("reboot-recorded");
                }
            }
        }
        catch (UpdateException e)
        {
            _log.Error(e.Message);
            if (e.ExitCode == UpdateExitCodes.StepFailed)
            {
                Notify(UpdateEvent.StepFailed, e.Message);
            }

            _services.Reporter.Stopped(new UpdateStop(_state.Step, e.ExitCode, e.Message));
            return e.ExitCode;
        }
        catch (OperationCanceledException) when (stop.Requested)
        {
            var fact = UpdateFact.Interrupted(_state.Step, stop.Received);
            return Stop(UpdateTransitions.Next(_state, fact), fact);
        }
    }

    /// <summary>Runs <paramref name="step"/>'s handler; a lock that cannot be taken or given back is a fact like any other.</summary>
    private async Task<UpdateFact> RunStepAsync(UpdateStep step, CancellationToken cancellationToken)
    {
        try
        {
            return step switch
            {
                UpdateStep.NeedsUpdate => NeedsUpdate(),
                UpdateStep.LockGet => await LockGetAsync(cancellationToken).ConfigureAwait(false),
                UpdateStep.PreUpdate or UpdateStep.Update => await UnderLockAsync(step, cancellationToken).ConfigureAwait(false),
                UpdateStep.NeedsReboot => await NeedsRebootAsync(cancellationToken).ConfigureAwait(false),
                UpdateStep.Reboot => await RebootAsync(cancellationToken).ConfigureAwait(false),
                UpdateStep.PostUpdate => await PostUpdateAsync(cancellationToken).ConfigureAwait(false),
                UpdateStep.LockRelease => await LockReleaseAsync(cancellationToken).ConfigureAwait(false),
                _ => throw new InvalidOperationException($"no handler for step {step}"),
            };
        }
        catch (LockException e)
        {
            return new UpdateFact(UpdateFactKind.LockFailed, DescribeLockFailure(e)) { LockWaitTimedOut = e.Kind == LockErrorKind.HeldByOther };
        }
    }

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
        bool started = _state.Step == UpdateStep.NeedsUpdate && moved.Step == UpdateStep.LockGet;
        _state = moved;
        _services.Observer.StepChanged(_state);
        _services.Reporter.StepChanged(moved);
        if (started)
        {
            Notify(UpdateEvent.UpdateStarted, "updates available: the update starts");
        }
    }

    /// <summary>Tells notifiers (once per occurrence) of an event in <paramref name="step"/>, by default the current one.</summary>
    private void Notify(UpdateEvent e, string message, UpdateStep? step = null) => _services.Observer.Event(e, step ?? _state.Step, message);

    private int Stop(UpdateDecision decision, UpdateFact fact)
    {
        if (fact.Message is { } message)
        {
            _log.Write(decision.Level, message);
            if (decision.ExitCode == UpdateExitCodes.StepFailed)
            {
                Notify(UpdateEvent.StepFailed, message);
            }
            else if (fact.Kind == UpdateFactKind.LockFailed && fact.LockWaitTimedOut)
            {
                Notify(UpdateEvent.LockWaitTimeout, message);
            }
        }

        _services.Reporter.Stopped(new UpdateStop(_state.Step, decision.ExitCode, fact.Message, fact.Failure, fact.LockWaitTimedOut));
        return decision.ExitCode;
    }

    private string DescribeLockFailure(LockException e) => e.Kind switch
    {
        LockErrorKind.HeldByOther => $"{e.Message}; the state is kept ({_state.Step.Name()}) and the next run waits again",
        LockErrorKind.Refused => $"lock '{_options.LockName}' refused: {e.Message}; waiting would not help, so this run stopped (state kept at {_state.Step.Name()})",
        LockErrorKind.Unreachable when e.Unanswered && _state.Step == UpdateStep.LockGet => UnansweredAcquire.Explain(
            e, _options.ConfigPath, $"the state is kept ({_state.Step.Name()}) and the next run takes it up and gives it back when the update is done"),
        LockErrorKind.Unreachable => $"{e.Message}; the state is kept ({_state.Step.Name()}) and the next run tries again",
        _ => $"{e.Message}; the state is kept ({_state.Step.Name()})",
    };
}
