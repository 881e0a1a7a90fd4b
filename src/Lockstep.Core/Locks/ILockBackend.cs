namespace Lockstep.Locks;

/// <summary>
/// A fleet-wide lock (a semaphore of one or more slots) held by host ids. Every backend keeps the
/// same contract: acquire and release are idempotent for the same holder, and failures are
/// <see cref="LockException"/>s whose <see cref="LockErrorKind"/> tells the workflow what to do.
/// A backend owns its connections and gives them back when disposed.
/// </summary>
public interface ILockBackend : IAsyncDisposable
{
    /// <summary>Where the lock lives, for messages ("Foreman DLM at https://foreman.example.com").</summary>
    string Describe { get; }

    /// <summary>Takes a slot of <paramref name="lockName"/> for <paramref name="holderId"/>; succeeds if it already holds one.</summary>
    Task AcquireAsync(string lockName, string holderId, CancellationToken cancellationToken);

    /// <summary>Gives back the slot of <paramref name="holderId"/>; succeeds if it holds none.</summary>
    Task ReleaseAsync(string lockName, string holderId, CancellationToken cancellationToken);

    /// <summary>Who holds the lock now.</summary>
    Task<LockState> InspectAsync(string lockName, string holderId, CancellationToken cancellationToken);

    /// <summary>Why this backend can never tell who holds the lock (FleetLock), or null: then there is no point asking before a release.</summary>
    string? HoldersNeverKnown => null;
}
