namespace Lockstep.Update;

/// <summary>What a step's handler found; <see cref="UpdateTransitions.Next"/> turns it into the next step or a stop.</summary>
public enum UpdateFactKind
{
    /// <summary>A question step (needs_update, needs_reboot) found no scripts to ask.</summary>
    NoScripts,

    /// <summary>Every script of the step exited 0 (for a question step: the answer is no).</summary>
    ScriptsPassed,

    /// <summary>A script of a question step exited non-zero: updates are available, or a reboot is needed.</summary>
    ScriptSaidYes,

    /// <summary>A script of pre_update, update or post_update failed.</summary>
    ScriptFailed,

    /// <summary>This host holds the lock.</summary>
    LockAcquired,

    /// <summary>The lock could not be taken or given back: held elsewhere past the wait, refused, unreachable.</summary>
    LockFailed,

    /// <summary>The boot id was read before reboot_cmd runs (<see cref="UpdateFact.Reboot"/>).</summary>
    BootIdRecorded,

    /// <summary>The boot id changed since reboot_cmd ran (or --assume-rebooted says the host rebooted).</summary>
    RebootObserved,

    /// <summary>The boot id is unchanged on a plain run: the reboot did not happen.</summary>
    RebootPending,

    /// <summary>The boot id is unchanged on a run at boot (--after-reboot): wait for the reboot.</summary>
    RebootAwaited,

    /// <summary>reboot_cmd exited 0 and the host is still up.</summary>
    RebootReturned,

    /// <summary>reboot_cmd failed.</summary>
    RebootFailed,

    /// <summary>The lock was given back.</summary>
    LockReleased,

    /// <summary>At lock_get outside the maintenance windows (or too little of one left): the lock is not taken.</summary>
    OutsideWindow,

    /// <summary>The operator stopped the run with a signal (<see cref="UpdateFact.Signal"/>).</summary>
    Interrupted,
}

/// <summary>One fact with what it carries: the line to log when it ends the run, a signal, a reboot to record.</summary>
public sealed record UpdateFact(UpdateFactKind Kind, string? Message = null)
{
    /// <summary>The signal that stopped the run, for <see cref="UpdateFactKind.Interrupted"/>.</summary>
    public int Signal { get; init; }

    /// <summary>For <see cref="UpdateFactKind.LockFailed"/>: the wait for a lock held elsewhere reached lock_wait_timeout.</summary>
    public bool LockWaitTimedOut { get; init; }

    /// <summary>The script (or reboot_cmd) that failed, for the fleet report.</summary>
    public Fleet.FailedScript? Failure { get; init; }

    /// <summary>The reboot to record, for <see cref="UpdateFactKind.BootIdRecorded"/>.</summary>
    public PendingReboot? Reboot { get; init; }

    public static UpdateFact Interrupted(UpdateStep step, int signal) =>
        new(UpdateFactKind.Interrupted, $"stopped by signal {signal} during {step.Name()}; the state is kept and the next run resumes at {step.Name()}") { Signal = signal };
}
