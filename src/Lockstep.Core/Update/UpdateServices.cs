using Lockstep.Locks;
using Lockstep.Logging;
using Lockstep.Processes;

namespace Lockstep.Update;

/// <summary>What the workflow acts through: the lock backend, the process runner, the log, time, randomness and the operator's stop.</summary>
/// <param name="Jitter">Random numbers from 0 to 1 for retry jitter.</param>
/// <param name="Stop">Raised when the operator stops the run (INT, TERM, HUP).</param>
public sealed record UpdateServices(ILockBackend Backend, IProcessRunner Runner, ILog Log, TimeProvider Clock, Func<double> Jitter, StopSignal Stop)
{
    /// <summary>Told the name of each crash point as it is passed (see <see cref="CrashPoint"/>); nothing by default.</summary>
    public Action<string> Checkpoint { get; init; } = static _ => { };

    /// <summary>Notifiers and metrics (README, "Notifications", "Metrics"); none by default.</summary>
    public IUpdateObserver Observer { get; init; } = UpdateObservers.None;

    /// <summary>Waits until an instant of <see cref="Clock"/> (a maintenance window's opening); tests skip the wait.</summary>
    public Func<DateTimeOffset, CancellationToken, Task>? WaitUntil { get; init; }

    /// <summary>Waits until <paramref name="instant"/>: with <see cref="WaitUntil"/> if given, else on <see cref="Clock"/>.</summary>
    public Task WaitForAsync(DateTimeOffset instant, CancellationToken cancellationToken)
    {
        if (WaitUntil is { } wait)
        {
            return wait(instant, cancellationToken);
        }

        var left = instant - Clock.GetUtcNow();
        return left > TimeSpan.Zero ? Task.Delay(left, Clock, cancellationToken) : Task.CompletedTask;
    }

    /// <summary>Told every step change and stop, for the fleet view; nothing by default.</summary>
    public IUpdateReporter Reporter { get; init; } = NoReporter.Instance;
}

/// <summary>How this run was asked for.</summary>
/// <param name="AfterReboot">Started at boot: continue only from post_update, silently do nothing otherwise.</param>
/// <param name="AssumeRebooted">The operator says the host has rebooted although the boot id is unchanged.</param>
public sealed record UpdateRequest(bool AfterReboot, bool AssumeRebooted);
