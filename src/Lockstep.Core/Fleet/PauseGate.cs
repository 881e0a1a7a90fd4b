using Lockstep.Locks;
using Lockstep.Logging;

namespace Lockstep.Fleet;

/// <summary>
/// The lock as Lockstep hosts take it while an operator may pause it: a paused lock grants no new
/// slot (taking one fails as held by another, so the update waits and retries), while a host that
/// already holds a slot goes on and finishes. A pause that cannot be read (store unreachable)
/// earns a warning and does not stop the host: the store is the fleet's view, not its lock.
/// </summary>
public sealed class PauseGate(ILockBackend inner, IFleetStore store, TimeSpan timeout, ILog log) : ILockBackend
{
    public string Describe => inner.Describe;

    public string? HoldersNeverKnown => inner.HoldersNeverKnown;

    public async Task AcquireAsync(string lockName, string holderId, CancellationToken cancellationToken)
    {
        if (await ReadPauseAsync(lockName, cancellationToken).ConfigureAwait(false) is { } pause)
        {
            var state = await inner.InspectAsync(lockName, holderId, cancellationToken).ConfigureAwait(false);
            if (!state.HeldBySelf)
            {
                throw new LockException(
                    LockErrorKind.HeldByOther,
                    $"lock '{lockName}' ({inner.Describe}) is paused by {pause.By} at {pause.At:yyyy-MM-dd HH:mm:ss} UTC: {pause.Reason}",
                    [.. state.Holders.Select(h => h.Id)])
                {
                    Paused = $"paused by {pause.By} at {pause.At:yyyy-MM-dd HH:mm:ss} UTC ({pause.Reason})",
                };
            }
        }

        await inner.AcquireAsync(lockName, holderId, cancellationToken).ConfigureAwait(false);
    }

    public Task ReleaseAsync(string lockName, string holderId, CancellationToken cancellationToken) => inner.ReleaseAsync(lockName, holderId, cancellationToken);

    public Task<LockState> InspectAsync(string lockName, string holderId, CancellationToken cancellationToken) => inner.InspectAsync(lockName, holderId, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private async Task<PauseRecord?> ReadPauseAsync(string lockName, CancellationToken cancellationToken)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(timeout);
        try
        {
            return await FleetControl.ReadPauseAsync(store, lockName, bound.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is LockException or IOException || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            log.Warn($"whether lock '{lockName}' is paused cannot be read from {store.Describe} ({e.Message}); going on as if it were not");
            return null;
        }
    }
}
