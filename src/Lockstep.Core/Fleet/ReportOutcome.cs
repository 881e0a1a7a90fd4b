using Lockstep.Update;

namespace Lockstep.Fleet;

/// <summary>The outcomes a host report names, and which one a stop means (a pure function).</summary>
public static class ReportOutcome
{
    public const string Done = "done";
    public const string NothingToDo = "nothing_to_do";
    public const string Running = "running";
    public const string WaitingLock = "waiting_lock";
    public const string WaitingReboot = "waiting_reboot";
    public const string Failed = "failed";
    public const string Interrupted = "interrupted";

    /// <summary>Shown for a report that does not parse; never stored.</summary>
    public const string Unreadable = "unreadable";

    /// <summary>What a run that moved to <paramref name="step"/> is doing while it runs.</summary>
    public static string WhileAt(UpdateStep step) => step == UpdateStep.LockGet ? WaitingLock : Running;

    /// <summary>
    /// The outcome of a run that stopped with <paramref name="exitStatus"/>;
    /// <paramref name="waitingForLock"/> when it gave up waiting for other holders (lock_wait_timeout).
    /// </summary>
    public static string ForStop(int exitStatus, bool waitingForLock, bool finishedUpdate) => exitStatus switch
    {
        UpdateExitCodes.Done => finishedUpdate ? Done : NothingToDo,
        UpdateExitCodes.AwaitingReboot => WaitingReboot,
        >= 128 => Interrupted,
        UpdateExitCodes.LockFailed when waitingForLock => WaitingLock,
        _ => Failed,
    };
}
