namespace Lockstep.Update;

/// <summary>The statuses of <c>lockstep update</c> (README, "Exit statuses"); 128+N is a signal N that stopped it.</summary>
public static class UpdateExitCodes
{
    /// <summary>The workflow finished, there was nothing to do, or --after-reboot had nothing to continue.</summary>
    public const int Done = 0;

    /// <summary>A step's script failed or timed out, or reboot_cmd failed: the lock is kept and the next run retries the step.</summary>
    public const int StepFailed = 1;

    /// <summary>Bad command line.</summary>
    public const int Usage = 2;

    /// <summary>
    /// Bad configuration, an unreadable state file, or refused scripts: nothing was run. Also a state
    /// file that cannot be written after a step: the step is done, the lock held, and the next run repeats it.
    /// </summary>
    public const int BadInput = 3;

    /// <summary>The lock could not be taken or given back (refused, unreachable, protocol error, wait timeout); the state is kept.</summary>
    public const int LockFailed = 4;

    /// <summary>reboot_cmd returned and the host has not rebooted yet; post_update runs after the reboot.</summary>
    public const int AwaitingReboot = 5;

    /// <summary>
    /// Outside the maintenance windows (or too little of one left): the lock was not taken, the state is
    /// kept, and the log says when the next window opens. Also <c>--check-window</c> when no window is usable now.
    /// </summary>
    public const int OutsideWindow = 6;

    /// <summary>Another <c>lockstep update</c> is running on this host (the <c>lock</c> file is held), as os-refresh-config's 11.</summary>
    public const int AlreadyRunning = 11;
}

/// <summary>A reason to stop the run: one line for the user and the status it exits with.</summary>
public sealed class UpdateException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
