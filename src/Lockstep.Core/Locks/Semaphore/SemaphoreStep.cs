namespace Lockstep.Locks.Semaphore;

/// <summary>What a lock or unlock request does to a semaphore.</summary>
public enum SemaphoreOutcome
{
    /// <summary>The value changes: write <see cref="SemaphoreStep.Next"/> (conditionally).</summary>
    Changed,

    /// <summary>Lock by a holder already in: success, nothing to write.</summary>
    AlreadyHeld,

    /// <summary>Unlock by an id that holds nothing: success, nothing to write.</summary>
    NotHeld,

    /// <summary>Lock with every slot taken by others: wait.</summary>
    Full,
}

/// <summary>The outcome of one rule, and the value to store when it is <see cref="SemaphoreOutcome.Changed"/>.</summary>
public sealed record SemaphoreStep(SemaphoreOutcome Outcome, SlotSemaphore? Next);
