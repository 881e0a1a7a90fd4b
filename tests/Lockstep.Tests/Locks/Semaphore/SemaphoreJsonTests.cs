using System.Text;
using Lockstep.Locks;
using Lockstep.Locks.Semaphore;

namespace Lockstep.Tests.Locks.Semaphore;

public sealed class SemaphoreJsonTests
{
    private const string Where = "etcd key com.coreos.airlock/groups/default/v1/semaphore in etcd at http://127.0.0.1:2379/";

    [Fact]
    public void A_semaphore_is_written_exactly_as_airlock_writes_it()
    {
        Encoding.UTF8.GetString(SemaphoreJson.Serialize(new SlotSemaphore(2, ["b", "a"])))
            .ShouldBe("""{"total_slots":2,"holders":["a","b"]}""");
        Encoding.UTF8.GetString(SemaphoreJson.Serialize(SlotSemaphore.Empty(1)))
            .ShouldBe("""{"total_slots":1,"holders":[]}""");
    }

    [Theory]
    [InlineData("""{"total_slots":2,"holders":["b","a"]}""", 2, new[] { "a", "b" })]
    [InlineData("""{"total_slots":1,"holders":null}""", 1, new string[0])] // Go writes a nil slice as null
    [InlineData("""{"total_slots":3}""", 3, new string[0])]
    [InlineData("""{ "holders": ["x"], "total_slots": 1, "extra": true }""", 1, new[] { "x" })]
    public void Values_written_by_airlock_or_by_hand_are_read(string json, int slots, string[] holders)
    {
        var semaphore = SemaphoreJson.Parse(Encoding.UTF8.GetBytes(json), Where);
        semaphore.TotalSlots.ShouldBe(slots);
        semaphore.Holders.ShouldBe(holders);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[1,2]")]
    [InlineData("""{"holders":[]}""")] // no slot count
    [InlineData("""{"total_slots":-1,"holders":[]}""")]
    [InlineData("""{"total_slots":99999999999,"holders":[]}""")]
    [InlineData("""{"total_slots":1,"holders":[""]}""")]
    [InlineData("""{"total_slots":1,"holders":[null]}""")]
    [InlineData("""{"total_slots":1,"holders":"a"}""")]
    [InlineData("""{"total_slots":"4","holders":[]}""")] // airlock (Go) would not read it either
    public void Anything_else_is_a_protocol_error_naming_where_it_was_found(string stored)
    {
        var error = Should.Throw<LockException>(() => SemaphoreJson.Parse(Encoding.UTF8.GetBytes(stored), Where));
        error.Kind.ShouldBe(LockErrorKind.Protocol);
        error.Message.ShouldStartWith(Where);
        error.Message.ShouldContain("not a semaphore");
        error.Message.ShouldNotContain("\n");
    }
}
