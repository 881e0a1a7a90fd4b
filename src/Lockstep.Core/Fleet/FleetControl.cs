using Lockstep.Locks;

namespace Lockstep.Fleet;

/// <summary>
/// The operator's controls (README, "lockstep fleet pause"): pause and resume, recorded with who,
/// when and why; the audit kept with a host's report. Every change is a compare-and-swap on what
/// was read, so two operators never overwrite each other.
/// </summary>
public static class FleetControl
{
    /// <summary>Audit entries kept per host, newest last.</summary>
    public const int AuditLength = 20;

    private const int MaxAttempts = 20;

    public static async Task<PauseRecord?> ReadPauseAsync(IFleetStore store, string lockName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var entry = await store.GetAsync(FleetKeys.Pause(lockName), cancellationToken).ConfigureAwait(false);
        return entry is null ? null : ParsePause(store, entry);
    }

    /// <summary>
    /// Pauses the lock. A lock already paused keeps its first record (returned, with false) unless
    /// <paramref name="force"/> replaces it.
    /// </summary>
    public static async Task<(PauseRecord Pause, bool Changed)> PauseAsync(IFleetStore store, string lockName, PauseRecord pause, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        string key = FleetKeys.Pause(lockName);
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var entry = await store.GetAsync(key, cancellationToken).ConfigureAwait(false);
            if (entry is not null && !force && ParsePause(store, entry) is { } first)
            {
                return (first, false);
            }

            if (await store.PutIfUnchangedAsync(key, FleetJson.Serialize(pause), entry, cancellationToken).ConfigureAwait(false))
            {
                return (pause, true);
            }
        }

        throw Contended(store, key);
    }

    /// <summary>Resumes the lock; returns the pause it ended, or null when it was not paused.</summary>
    public static async Task<PauseRecord?> ResumeAsync(IFleetStore store, string lockName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        string key = FleetKeys.Pause(lockName);
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var entry = await store.GetAsync(key, cancellationToken).ConfigureAwait(false);
            if (entry is null)
            {
                return null;
            }

            // A damaged record is removed too: resuming is how an operator gets out of it.
            var pause = FleetJson.ParsePause(entry.Value, out _);
            if (await store.DeleteIfUnchangedAsync(entry, cancellationToken).ConfigureAwait(false))
            {
                return pause ?? new PauseRecord("unknown (unreadable record)", DateTimeOffset.MinValue, "");
            }
        }

        throw Contended(store, key);
    }

    /// <summary>Adds <paramref name="entry"/> to the audit kept with <paramref name="holderId"/>'s report.</summary>
    public static async Task AppendAuditAsync(IFleetStore store, string lockName, string holderId, AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        string key = FleetKeys.Audit(lockName, holderId);
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var read = await store.GetAsync(key, cancellationToken).ConfigureAwait(false);
            var audit = read is null ? [] : FleetJson.ParseAudit(read.Value, out _) ?? [];
            audit.Add(entry);
            if (await store.PutIfUnchangedAsync(key, FleetJson.Serialize([.. audit.TakeLast(AuditLength)]), read, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }

        throw Contended(store, key);
    }

    private static PauseRecord ParsePause(IFleetStore store, FleetEntry entry) =>
        FleetJson.ParsePause(entry.Value, out string? problem)
        ?? throw new LockException(
            LockErrorKind.Protocol,
            $"{store.Describe} key {entry.Key} is not a pause record ({problem}); run lockstep fleet resume to remove it, or lockstep fleet pause --force to replace it");

    private static LockException Contended(IFleetStore store, string key) =>
        new(LockErrorKind.Unreachable, $"{store.Describe} key {key} changed under each of {MaxAttempts} attempts; try again");
}
