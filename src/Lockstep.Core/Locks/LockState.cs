namespace Lockstep.Locks;

/// <summary>One holder of a lock; IsSelf when it is this host.</summary>
public sealed record LockHolder(string Id, bool IsSelf);

/// <summary>A lock as a backend sees it. Slots and Enabled are null where the backend has no such notion.</summary>
public sealed record LockState(string Name, IReadOnlyList<LockHolder> Holders, int? Slots = null, bool? Enabled = null)
{
    /// <summary>
    /// Why the backend cannot list the holders ("FleetLock cannot list them"); null when
    /// <see cref="Holders"/> is the whole truth. An empty list then means "free", not "unknown".
    /// </summary>
    public string? HoldersUnknownBecause { get; init; }

    public bool HoldersKnown => HoldersUnknownBecause is null;

    public bool HeldBySelf => Holders.Any(h => h.IsSelf);

    public bool HeldByOther => Holders.Any(h => !h.IsSelf);
}
