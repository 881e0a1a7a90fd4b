using System.Text;

namespace Lockstep.Locks.Semaphore;

/// <summary>
/// A counting semaphore as coreos/airlock stores it: a number of slots and the ids holding them,
/// sorted. The rules are pure: storage reads a value, asks for the next one and writes it back
/// only if nobody changed it meanwhile.
/// </summary>
public sealed class SlotSemaphore
{
    /// <summary>Byte order of the UTF-8 encodings, as Go's sort.Strings orders airlock's holders.</summary>
    public static readonly IComparer<string> HolderOrder = Comparer<string>.Create(
        static (a, b) => Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b)));

    public SlotSemaphore(int totalSlots, IEnumerable<string> holders)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalSlots);
        ArgumentNullException.ThrowIfNull(holders);
        TotalSlots = totalSlots;
        var sorted = holders.Distinct(StringComparer.Ordinal).ToList();
        sorted.Sort(HolderOrder);
        Holders = sorted;
    }

    public int TotalSlots { get; }

    /// <summary>The holder ids, sorted and without duplicates.</summary>
    public IReadOnlyList<string> Holders { get; }

    public static SlotSemaphore Empty(int totalSlots) => new(totalSlots, []);

    public bool IsHeldBy(string id) => Holders.Contains(id, StringComparer.Ordinal);

    /// <summary>
    /// Recursive lock: a holder already in keeps its slot (nothing to write); a free slot takes
    /// the id in; no free slot refuses, whoever the holders are.
    /// </summary>
    public SemaphoreStep Lock(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        if (IsHeldBy(id))
        {
            return new SemaphoreStep(SemaphoreOutcome.AlreadyHeld, null);
        }

        return Holders.Count >= TotalSlots
            ? new SemaphoreStep(SemaphoreOutcome.Full, null)
            : new SemaphoreStep(SemaphoreOutcome.Changed, new SlotSemaphore(TotalSlots, Holders.Append(id)));
    }

    /// <summary>Unlock if held: an id that holds no slot is not an error, and nothing is written.</summary>
    public SemaphoreStep Unlock(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return IsHeldBy(id)
            ? new SemaphoreStep(SemaphoreOutcome.Changed, new SlotSemaphore(TotalSlots, Holders.Where(h => h != id)))
            : new SemaphoreStep(SemaphoreOutcome.NotHeld, null);
    }

    /// <summary>Why a lock was refused (<see cref="SemaphoreOutcome.Full"/>): the holders, for the workflow to wait on.</summary>
    public LockException HeldByOthers(string lockName, string where) =>
        new(LockErrorKind.HeldByOther, $"all {TotalSlots} slot(s) of '{lockName}' in {where} are held by {string.Join(", ", Holders)}", Holders);

    /// <summary>The semaphore as <see cref="LockState"/> for <c>lockstep lock status</c>.</summary>
    public LockState ToState(string lockName, string selfId) =>
        new(lockName, Holders.Select(h => new LockHolder(h, h == selfId)).ToList(), TotalSlots);
}
