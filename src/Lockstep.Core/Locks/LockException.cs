namespace Lockstep.Locks;

/// <summary>What went wrong with a lock call, which decides what the workflow does next.</summary>
public enum LockErrorKind
{
    /// <summary>Every slot is held by other hosts: wait and retry.</summary>
    HeldByOther,

    /// <summary>The server refused for a reason waiting will not fix (lock disabled, host not allowed, bad credentials): stop.</summary>
    Refused,

    /// <summary>No answer (connection refused, DNS, timeout): retry later, state kept.</summary>
    Unreachable,

    /// <summary>An answer that makes no sense (HTML from a proxy, invalid JSON, unexpected status): stop.</summary>
    Protocol,
}

/// <summary>A failed lock call; the message is one line naming the server and what to do.</summary>
public sealed class LockException(LockErrorKind kind, string message, IReadOnlyList<string>? holders = null) : Exception(message)
{
    public LockErrorKind Kind { get; } = kind;

    /// <summary>The other holders, when Kind is HeldByOther.</summary>
    public IReadOnlyList<string> Holders { get; } = holders ?? [];

    /// <summary>
    /// The server's own words when it gave no slot without naming holders (FleetLock's
    /// <c>failed_lock</c> also means a damaged semaphore or a lost race, not only a full group).
    /// </summary>
    public string? ServerReason { get; init; }

    /// <summary>Set when no slot is granted because an operator paused the lock: "paused by WHO at WHEN: WHY".</summary>
    public string? Paused { get; init; }

    /// <summary>
    /// A request that changes the lock went out and no answer came back (a timeout, or the
    /// connection closed after it was sent): the server may have carried it out. After an acquire
    /// this host may hold a slot it does not know of (<see cref="UnansweredAcquire"/> says what to do).
    /// </summary>
    public bool Unanswered { get; init; }
}
