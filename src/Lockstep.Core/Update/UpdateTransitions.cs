using Lockstep.Logging;

namespace Lockstep.Update;

/// <summary>One allowed move of the workflow and the reason it is taken.</summary>
public sealed record UpdateMove(UpdateStep From, UpdateStep To, string When);

/// <summary>
/// The workflow as data: <see cref="Next"/> says what follows a step's fact, and every change of
/// step goes through <see cref="Move"/>, which refuses moves not in <see cref="Table"/>. The same
/// table is drawn in docs/update-states.dot (a test keeps the two equal).
/// </summary>
public static class UpdateTransitions
{
    public static IReadOnlyList<UpdateMove> Table { get; } =
    [
        new(UpdateStep.NeedsUpdate, UpdateStep.LockGet, "a needs_update script exits non-zero"),
        new(UpdateStep.LockGet, UpdateStep.PreUpdate, "lock acquired"),
        new(UpdateStep.PreUpdate, UpdateStep.Update, "pre_update scripts succeed"),
        new(UpdateStep.Update, UpdateStep.NeedsReboot, "update scripts succeed"),
        new(UpdateStep.NeedsReboot, UpdateStep.Reboot, "a needs_reboot script exits non-zero, or there are none"),
        new(UpdateStep.NeedsReboot, UpdateStep.PostUpdate, "needs_reboot scripts all exit 0"),
        new(UpdateStep.Reboot, UpdateStep.PostUpdate, "boot id recorded, before reboot_cmd runs"),
        new(UpdateStep.PostUpdate, UpdateStep.PostUpdate, "boot id changed (or --assume-rebooted)"),
        new(UpdateStep.PostUpdate, UpdateStep.Reboot, "boot id unchanged: the reboot did not happen"),
        new(UpdateStep.PostUpdate, UpdateStep.LockRelease, "post_update scripts succeed"),
        new(UpdateStep.LockRelease, UpdateStep.NeedsUpdate, "lock released; state cleared"),
    ];

    public static bool IsAllowed(UpdateStep from, UpdateStep to) => Table.Any(m => m.From == from && m.To == to);

    /// <summary>
    /// The state after moving <paramref name="state"/> to <paramref name="to"/> at <paramref name="at"/>.
    /// <paramref name="reboot"/> is given exactly when recording a reboot (reboot → post_update);
    /// post_update → post_update confirms that reboot; reaching needs_update is the idle state.
    /// </summary>
    public static UpdateState Move(UpdateState state, UpdateStep to, DateTimeOffset at, PendingReboot? reboot = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!IsAllowed(state.Step, to))
        {
            throw new InvalidOperationException($"the update workflow cannot move from {state.Step.Name()} to {to.Name()}");
        }

        bool recordsReboot = state.Step == UpdateStep.Reboot && to == UpdateStep.PostUpdate;
        if (recordsReboot != reboot is not null)
        {
            throw new InvalidOperationException(recordsReboot
                ? "moving from reboot to post_update must record the boot id"
                : $"only reboot → post_update records a reboot, not {state.Step.Name()} → {to.Name()}");
        }

        if (state.Step == UpdateStep.PostUpdate && to == UpdateStep.PostUpdate && state.Reboot is null)
        {
            throw new InvalidOperationException("post_update can only confirm a reboot it was waiting for");
        }

        return to == UpdateStep.NeedsUpdate ? UpdateState.Idle : state with { Step = to, Since = at, Reboot = reboot };
    }

    /// <summary>
    /// What follows <paramref name="fact"/> found at <paramref name="state"/>'s step: a move of
    /// <see cref="Table"/> or a stop with its exit status. A fact a step cannot produce is a bug
    /// (<see cref="InvalidOperationException"/>).
    /// </summary>
    public static UpdateDecision Next(UpdateState state, UpdateFact fact)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(fact);
        bool waitsForReboot = state.Reboot is not null;
        UpdateDecision? decision = (state.Step, fact.Kind) switch
        {
            (_, UpdateFactKind.Interrupted) => UpdateDecision.Stop(128 + fact.Signal, LogLevel.Error),
            (not UpdateStep.NeedsUpdate, UpdateFactKind.LockFailed) when !waitsForReboot => UpdateDecision.Stop(UpdateExitCodes.LockFailed, LogLevel.Error),

            (UpdateStep.NeedsUpdate, UpdateFactKind.NoScripts or UpdateFactKind.ScriptsPassed) => UpdateDecision.Stop(UpdateExitCodes.Done, LogLevel.Info),
            (UpdateStep.NeedsUpdate, UpdateFactKind.ScriptSaidYes) => UpdateDecision.Move(UpdateStep.LockGet),
            (UpdateStep.LockGet, UpdateFactKind.LockAcquired) => UpdateDecision.Move(UpdateStep.PreUpdate),
            (UpdateStep.LockGet, UpdateFactKind.OutsideWindow) => UpdateDecision.Stop(UpdateExitCodes.OutsideWindow, LogLevel.Warn),
            (UpdateStep.PreUpdate, UpdateFactKind.ScriptsPassed) => UpdateDecision.Move(UpdateStep.Update),
            (UpdateStep.Update, UpdateFactKind.ScriptsPassed) => UpdateDecision.Move(UpdateStep.NeedsReboot),
            (UpdateStep.NeedsReboot, UpdateFactKind.NoScripts or UpdateFactKind.ScriptSaidYes) => UpdateDecision.Move(UpdateStep.Reboot),
            (UpdateStep.NeedsReboot, UpdateFactKind.ScriptsPassed) => UpdateDecision.Move(UpdateStep.PostUpdate),
            (UpdateStep.Reboot, UpdateFactKind.BootIdRecorded) when fact.Reboot is not null =>
                UpdateDecision.Move(UpdateStep.PostUpdate) with { RunsRebootCommand = true },
            (UpdateStep.PreUpdate or UpdateStep.Update, UpdateFactKind.ScriptFailed) => UpdateDecision.Stop(UpdateExitCodes.StepFailed, LogLevel.Error),

            (UpdateStep.PostUpdate, UpdateFactKind.RebootObserved) when waitsForReboot => UpdateDecision.Move(UpdateStep.PostUpdate),
            (UpdateStep.PostUpdate, UpdateFactKind.RebootPending) when waitsForReboot => UpdateDecision.Move(UpdateStep.Reboot),
            (UpdateStep.PostUpdate, UpdateFactKind.RebootAwaited) when waitsForReboot => UpdateDecision.Stop(UpdateExitCodes.AwaitingReboot, LogLevel.Error),
            (UpdateStep.PostUpdate, UpdateFactKind.RebootReturned) when waitsForReboot => UpdateDecision.Stop(UpdateExitCodes.AwaitingReboot, LogLevel.Warn),
            (UpdateStep.PostUpdate, UpdateFactKind.RebootFailed) when waitsForReboot => UpdateDecision.Stop(UpdateExitCodes.StepFailed, LogLevel.Error),
            (UpdateStep.PostUpdate, UpdateFactKind.ScriptsPassed) when !waitsForReboot => UpdateDecision.Move(UpdateStep.LockRelease),
            (UpdateStep.PostUpdate, UpdateFactKind.ScriptFailed) when !waitsForReboot => UpdateDecision.Stop(UpdateExitCodes.StepFailed, LogLevel.Error),

            (UpdateStep.LockRelease, UpdateFactKind.LockReleased) => UpdateDecision.Move(UpdateStep.NeedsUpdate),
            _ => null,
        };

        return decision ?? throw new InvalidOperationException(
            $"the update workflow has no next step for {fact.Kind} at {state.Describe()}");
    }
}
