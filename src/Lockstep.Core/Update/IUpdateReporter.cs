using Lockstep.Fleet;

namespace Lockstep.Update;

/// <summary>
/// Told what the update workflow does, for the fleet view (README, "lockstep fleet"). Calls return
/// at once; the reporter does its work on the side, bounded, and it can never change the run.
/// </summary>
public interface IUpdateReporter
{
    /// <summary>The workflow moved to <paramref name="state"/> (recorded in the state file).</summary>
    void StepChanged(UpdateState state);

    /// <summary>The run stopped or ended.</summary>
    void Stopped(UpdateStop stop);

    /// <summary>Waits for what was reported to be written (or given up on).</summary>
    Task FlushAsync();
}

/// <summary>How a run stopped: at which step, with which status and line, and the script that failed.</summary>
/// <param name="WaitingForLock">It gave up waiting while other hosts held the lock (lock_wait_timeout).</param>
public sealed record UpdateStop(UpdateStep Step, int ExitStatus, string? Message, FailedScript? Failure = null, bool WaitingForLock = false);

/// <summary>Reports nothing: a fleet without a fleet store.</summary>
public sealed class NoReporter : IUpdateReporter
{
    public static readonly NoReporter Instance = new();

    public void StepChanged(UpdateState state)
    {
    }

    public void Stopped(UpdateStop stop)
    {
    }

    public Task FlushAsync() => Task.CompletedTask;
}
