namespace Lockstep.Update;

/// <summary>What notifiers are told about (README, "Notifications"); each is said once per occurrence.</summary>
public enum UpdateEvent
{
    UpdateStarted,
    LockAcquired,
    StepFailed,
    Reboot,
    UpdateFinished,
    LockWaitTimeout,
    WindowClosed,
}

public static class UpdateEvents
{
    /// <summary>The name notifiers see in <c>LOCKSTEP_EVENT</c>.</summary>
    public static string Name(this UpdateEvent e) => e switch
    {
        UpdateEvent.UpdateStarted => "update_started",
        UpdateEvent.LockAcquired => "lock_acquired",
        UpdateEvent.StepFailed => "step_failed",
        UpdateEvent.Reboot => "reboot",
        UpdateEvent.UpdateFinished => "update_finished",
        UpdateEvent.LockWaitTimeout => "lock_wait_timeout",
        _ => "window_closed",
    };
}
