using Lockstep.Locks;
using Lockstep.Locks.Operator;

namespace Lockstep.Tests.Locks.Operator;

public sealed class ReleasedLineTests
{
    public static TheoryData<LockState?, string> Cases => new()
    {
        { new LockState("l", [new LockHolder("me", true)]), "released lock l on S for me" },
        { new LockState("l", [new LockHolder("b", false), new LockHolder("me", true)]), "released lock l on S for me" },
        { new LockState("l", [new LockHolder("b", false)]), "lock l on S is held by b, not by this host: nothing released" },
        { new LockState("l", []), "lock l on S is not held by me: nothing released" },
        { new LockState("l", []) { HoldersUnknownBecause = "FleetLock cannot list them" }, "gave back any slot me held of lock l on S (FleetLock cannot list them, so it cannot tell whether it held one)" },
        { null, "gave back any slot me held of lock l on S (whether it held one could not be seen)" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_release_claims_a_slot_only_when_this_host_was_seen_holding_one(LockState? before, string line) =>
        LockOperator.ReleasedLine(before, "l", "S", "me").ShouldBe(line);
}
