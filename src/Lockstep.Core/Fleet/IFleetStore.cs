namespace Lockstep.Fleet;

/// <summary>A value as read, with what a conditional write compares against (a revision, or the bytes themselves).</summary>
public sealed record FleetEntry(string Key, byte[] Value, long Revision);

/// <summary>
/// Where a fleet keeps its view (README, "The fleet store"): a few keys with small JSON values under
/// <see cref="FleetKeys"/>. Writes of control records are conditional, so two operators never
/// overwrite each other; failures are <see cref="Locks.LockException"/>s naming the store.
/// </summary>
public interface IFleetStore : IDisposable
{
    /// <summary>Where the store lives, for messages ("etcd at http://...").</summary>
    string Describe { get; }

    Task<FleetEntry?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Every key starting with <paramref name="prefix"/>, in key order.</summary>
    Task<IReadOnlyList<FleetEntry>> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="value"/> whatever is there.</summary>
    Task PutAsync(string key, byte[] value, CancellationToken cancellationToken);

    /// <summary>Writes only if the key is still as <paramref name="read"/> (absent when null); false when it changed.</summary>
    Task<bool> PutIfUnchangedAsync(string key, byte[] value, FleetEntry? read, CancellationToken cancellationToken);

    /// <summary>Deletes only if the key is still as <paramref name="read"/>; false when it changed.</summary>
    Task<bool> DeleteIfUnchangedAsync(FleetEntry read, CancellationToken cancellationToken);
}
