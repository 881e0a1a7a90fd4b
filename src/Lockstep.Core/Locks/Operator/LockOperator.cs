using Lockstep.Config;
using Lockstep.Logging;

namespace Lockstep.Locks.Operator;

/// <summary>
/// The configured lock backend driven by hand (<c>lockstep lock</c>): needs only <c>[main]</c>'s backend
/// settings, never the update's script directories. Acquire tries once; failures are
/// <see cref="LockException"/>s naming the holder or the server.
/// </summary>
/// <param name="configPath">The configuration file, for the command lines that messages suggest.</param>
public sealed class LockOperator(ILockBackend backend, string backendName, string lockName, string holderId, string configPath) : IAsyncDisposable
{
    public string LockName => lockName;

    public static LockOperator FromConfig(IniFile config, ILog log, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(config);
        string lockName = LockConfig.LockName(config);
        var context = new LockBackendContext(HolderId.Resolve(config), LockConfig.HttpTimeout(config), log, clock);
        return new LockOperator(LockBackendFactory.Create(config, context), LockConfig.BackendName(config), lockName, context.HolderId, config.Path);
    }

    public async Task<LockReport> StatusAsync(CancellationToken cancellationToken)
    {
        var state = await backend.InspectAsync(lockName, holderId, cancellationToken).ConfigureAwait(false);
        return new LockReport(backendName, backend.Describe, state);
    }

    /// <summary>Takes the lock once, without waiting; returns the line to print.</summary>
    public async Task<string> AcquireAsync(CancellationToken cancellationToken)
    {
        try
        {
            await backend.AcquireAsync(lockName, holderId, cancellationToken).ConfigureAwait(false);
        }
        catch (LockException e) when (e.Unanswered)
        {
            // Acquiring again is idempotent: it tells for sure, and keeps the slot if there is one.
            throw new LockException(e.Kind, UnansweredAcquire.Explain(e, configPath, "'lockstep lock acquire' again makes sure of it"), e.Holders);
        }

        return $"acquired lock {lockName} on {backend.Describe} for {holderId}";
    }

    /// <summary>Gives the lock back (nothing to do if this host does not hold it); returns the line to print.</summary>
    public async Task<string> ReleaseAsync(CancellationToken cancellationToken)
    {
        // Looked at before, not after: on a lock of several slots other holders remain after our
        // release, and an operator who releases someone else's lock must not be told it is now free.
        // Not asked where the answer cannot name holders: against a hung server that look would
        // cost a second timeout.
        LockState? before = backend.HoldersNeverKnown is { } never ? new LockState(lockName, []) { HoldersUnknownBecause = never } : null;
        try
        {
            before ??= await backend.InspectAsync(lockName, holderId, cancellationToken).ConfigureAwait(false);
        }
        catch (LockException)
        {
            // The release below says what is wrong with the server, if anything.
        }

        // Released in every case: it is idempotent, and what we saw may already be stale.
        await backend.ReleaseAsync(lockName, holderId, cancellationToken).ConfigureAwait(false);
        return ReleasedLine(before, lockName, backend.Describe, holderId);
    }

    /// <summary>
    /// What a release did, judged by what was seen before it: a slot released only when this host
    /// held one; when the holders could not be known (FleetLock, or the look failed), no claim either way.
    /// </summary>
    public static string ReleasedLine(LockState? before, string lockName, string describe, string holderId)
    {
        if (before is null || !before.HoldersKnown)
        {
            string why = before?.HoldersUnknownBecause is { } unknown ? $"{unknown}, so it cannot tell whether it held one" : "whether it held one could not be seen";
            return $"gave back any slot {holderId} held of lock {lockName} on {describe} ({why})";
        }

        if (before.HeldBySelf)
        {
            return $"released lock {lockName} on {describe} for {holderId}";
        }

        return before.HeldByOther
            ? $"lock {lockName} on {describe} is held by {string.Join(", ", before.Holders.Select(h => h.Id))}, not by this host: nothing released"
            : $"lock {lockName} on {describe} is not held by {holderId}: nothing released";
    }

    public ValueTask DisposeAsync() => backend.DisposeAsync();
}
