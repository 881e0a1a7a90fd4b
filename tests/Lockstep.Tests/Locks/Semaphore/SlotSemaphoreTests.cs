using Lockstep.Locks.Semaphore;

namespace Lockstep.Tests.Locks.Semaphore;

public sealed class SlotSemaphoreTests
{
    public static TheoryData<int, string[], string, SemaphoreOutcome, string[]> LockCases => new()
    {
        // slots, holders before, id, outcome, holders after (when changed)
        { 1, [], "a", SemaphoreOutcome.Changed, ["a"] },
        { 1, ["a"], "a", SemaphoreOutcome.AlreadyHeld, ["a"] },
        { 1, ["b"], "a", SemaphoreOutcome.Full, ["b"] },
        { 2, ["c"], "a", SemaphoreOutcome.Changed, ["a", "c"] },
        { 2, ["a", "c"], "b", SemaphoreOutcome.Full, ["a", "c"] },
        { 2, ["a", "c"], "c", SemaphoreOutcome.AlreadyHeld, ["a", "c"] },
        { 0, [], "a", SemaphoreOutcome.Full, [] },
        { 1, ["a", "b"], "a", SemaphoreOutcome.AlreadyHeld, ["a", "b"] }, // over-full after slots were lowered: a holder keeps its slot
        { 2, ["a", "b", "c"], "d", SemaphoreOutcome.Full, ["a", "b", "c"] },
    };

    public static TheoryData<string[], string, SemaphoreOutcome, string[]> UnlockCases => new()
    {
        { ["a"], "a", SemaphoreOutcome.Changed, [] },
        { ["a", "b"], "a", SemaphoreOutcome.Changed, ["b"] },
        { ["b"], "a", SemaphoreOutcome.NotHeld, ["b"] },
        { [], "a", SemaphoreOutcome.NotHeld, [] },
    };

    [Theory]
    [MemberData(nameof(LockCases))]
    public void Lock_is_recursive_and_refuses_only_when_every_slot_is_taken_by_others(
        int slots, string[] before, string id, SemaphoreOutcome outcome, string[] after)
    {
        var semaphore = new SlotSemaphore(slots, before);
        var step = semaphore.Lock(id);
        step.Outcome.ShouldBe(outcome);
        (step.Next ?? semaphore).Holders.ShouldBe(after);
        (step.Next is not null).ShouldBe(outcome == SemaphoreOutcome.Changed);
        semaphore.Holders.ShouldBe(new SlotSemaphore(slots, before).Holders, "the value itself never changes");
    }

    [Theory]
    [MemberData(nameof(UnlockCases))]
    public void Unlock_gives_back_a_held_slot_and_is_a_no_op_otherwise(string[] before, string id, SemaphoreOutcome outcome, string[] after)
    {
        var step = new SlotSemaphore(2, before).Unlock(id);
        step.Outcome.ShouldBe(outcome);
        (step.Next?.Holders ?? before).ShouldBe(after);
        step.Next?.TotalSlots.ShouldBe(2);
    }

    [Fact]
    public void Holders_are_kept_sorted_by_utf8_bytes_as_go_sorts_them_and_without_duplicates()
    {
        // U+FF21 (3 UTF-8 bytes EF BC A1) sorts before U+1F600 (F0 ...) in UTF-8, after it in UTF-16.
        var semaphore = new SlotSemaphore(9, ["b", "\U0001F600", "a", "\uFF21", "B", "b"]);
        semaphore.Holders.ShouldBe(["B", "a", "b", "\uFF21", "\U0001F600"]);
    }

    [Fact]
    public void State_marks_this_hosts_slot_and_reports_the_slot_count()
    {
        var state = new SlotSemaphore(3, ["web-2", "web-1"]).ToState("updates", "web-2");
        state.Name.ShouldBe("updates");
        state.Slots.ShouldBe(3);
        state.Holders.ShouldBe([new("web-1", false), new("web-2", true)]);
        state.HeldBySelf.ShouldBeTrue();
        state.HeldByOther.ShouldBeTrue();
    }
}
