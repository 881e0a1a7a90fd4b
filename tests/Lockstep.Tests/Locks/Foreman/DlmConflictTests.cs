using Lockstep.Locks;
using Lockstep.Locks.Foreman;

namespace Lockstep.Tests.Locks.Foreman;

/// <summary>How a 412 is told apart once a GET has shown the lock (defect 6 of foreman_dlm_updater).</summary>
public sealed class DlmConflictTests
{
    private const string Server = "Foreman DLM at https://foreman.example.com";

    public static TheoryData<string, string?, bool, bool?, string> Cases() => new()
    {
        // call, holder shown, holder is self, enabled, expected
        { "Acquire", "web2", false, true, "HeldByOther" },
        { "Acquire", null, false, false, "Refused: disabled" },
        { "Acquire", "web2", false, false, "Refused: disabled" },
        { "Acquire", null, false, true, "Refused: not allowed" },
        { "Acquire", "web1", true, true, "Refused: not allowed" },
        { "Acquire", null, false, null, "Refused: not allowed" },
        { "Release", "web2", false, true, "nothing to release" },
        { "Release", "web2", false, false, "nothing to release" },
        { "Release", null, false, null, "nothing to release" }, // free: this host holds nothing to give back
        { "Release", null, false, false, "nothing to release" },
        { "Release", "web1", true, false, "Refused: disabled" },
        { "Release", "web1", true, true, "Refused: not allowed" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Only_a_lock_held_by_another_host_is_worth_waiting_for(string call, string? holder, bool self, bool? enabled, string expected)
    {
        var shown = new LockState("updates", holder is null ? [] : [new LockHolder(holder, self)], 1, enabled);

        var error = DlmResponses.ExplainConflict(Enum.Parse<DlmCall>(call), "updates", Server, shown);

        string actual = error switch
        {
            null => "nothing to release",
            { Kind: LockErrorKind.Refused } when error.Message.Contains("is disabled on") => "Refused: disabled",
            { Kind: LockErrorKind.Refused } when error.Message.Contains("is not allowed to take locks") => "Refused: not allowed",
            _ => error.Kind.ToString(),
        };
        actual.ShouldBe(expected);
        error?.Message.ShouldContain(Server);
    }

    [Fact]
    public void A_lock_held_by_another_host_names_the_holder()
    {
        var shown = new LockState("updates", [new LockHolder("web2.example.com", false)], 1, true);

        var error = DlmResponses.ExplainConflict(DlmCall.Acquire, "updates", Server, shown)!;

        error.Message.ShouldBe($"lock updates is held by web2.example.com on {Server}");
        error.Holders.ShouldBe(["web2.example.com"]);
    }

    [Fact]
    public void The_shown_lock_becomes_the_holder_with_self_from_the_server()
    {
        var mine = new DlmLock(3, "updates", true, "t", 7, null, null, new DlmHost("web1", true));
        var theirs = mine with { Host = new DlmHost("web2", null) };
        var free = mine with { Host = null, HostId = null, Enabled = false };

        DlmResponses.ToState("updates", mine).Holders.ShouldBe([new LockHolder("web1", true)]);
        DlmResponses.ToState("updates", theirs).Holders.ShouldBe([new LockHolder("web2", false)]);
        DlmResponses.ToState("updates", free).Holders.ShouldBeEmpty();
        DlmResponses.ToState("updates", free).Enabled.ShouldBe(false);
        DlmResponses.ToState("updates", free).Slots.ShouldBe(1);
        DlmResponses.ToState("updates", null).Holders.ShouldBeEmpty();
        DlmResponses.ToState("updates", null).Enabled.ShouldBeNull();
    }
}
