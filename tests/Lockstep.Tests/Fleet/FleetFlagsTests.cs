using Lockstep.Fleet;

namespace Lockstep.Tests.Fleet;

public sealed class FleetFlagsTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan StuckAfter = TimeSpan.FromHours(2);
    private static readonly TimeSpan SilentAfter = TimeSpan.FromDays(1);

    /// <summary>outcome, minutes since the step changed, minutes since the last report, holds a slot (null: unknown), expected flags.</summary>
    public static TheoryData<string, int, int, bool?, string[]> Cases => new()
    {
        { ReportOutcome.Running, 10, 1, true, [] },
        { ReportOutcome.Running, 121, 1, true, [FleetFlags.Stuck] },
        { ReportOutcome.Running, 120, 1, true, [] },
        { ReportOutcome.Failed, 5, 5, true, [FleetFlags.Failed] },
        { ReportOutcome.Failed, 5, 5, false, [] },
        { ReportOutcome.Failed, 5, 5, null, [] },
        { ReportOutcome.WaitingReboot, 200, 200, true, [FleetFlags.Stuck] },
        { ReportOutcome.Running, 3000, 1441, true, [FleetFlags.Stuck, FleetFlags.Silent] },
        { ReportOutcome.Running, 3000, 1441, false, [] },
        { ReportOutcome.Failed, 3000, 1441, true, [FleetFlags.Failed, FleetFlags.Stuck, FleetFlags.Silent] },
        { ReportOutcome.Done, 3000, 3000, false, [] },
        { ReportOutcome.WaitingLock, 3000, 3000, false, [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_report_is_flagged_only_while_its_host_holds_a_slot(string outcome, int stepMinutes, int reportMinutes, bool? holds, string[] expected)
    {
        var report = new HostReport
        {
            Holder = "web-1",
            Lock = "fleet",
            Step = "update",
            StepSince = Now.AddMinutes(-stepMinutes),
            Outcome = outcome,
            ReportedAt = Now.AddMinutes(-reportMinutes),
        };

        FleetFlags.For(report, unreadable: false, holds, Now, StuckAfter, SilentAfter).ShouldBe(expected);
    }

    [Theory]
    [InlineData(true, false, new[] { FleetFlags.UnknownHolder })]
    [InlineData(false, false, new string[0])]
    [InlineData(true, true, new string[0])]
    public void A_holder_that_never_reported_is_an_unknown_holder_but_an_unreadable_report_is_not(bool holds, bool unreadable, string[] expected) =>
        FleetFlags.For(null, unreadable, holds, Now, StuckAfter, SilentAfter).ShouldBe(expected);

    [Theory]
    [InlineData(0, false, false, ReportOutcome.NothingToDo)]
    [InlineData(0, false, true, ReportOutcome.Done)]
    [InlineData(1, false, false, ReportOutcome.Failed)]
    [InlineData(3, false, false, ReportOutcome.Failed)]
    [InlineData(4, false, false, ReportOutcome.Failed)]
    [InlineData(4, true, false, ReportOutcome.WaitingLock)]
    [InlineData(5, false, false, ReportOutcome.WaitingReboot)]
    [InlineData(70, false, false, ReportOutcome.Failed)]
    [InlineData(143, false, false, ReportOutcome.Interrupted)]
    [InlineData(130, false, true, ReportOutcome.Interrupted)]
    public void A_stop_names_its_outcome_by_exit_status(int status, bool waitingForLock, bool finishedUpdate, string expected) =>
        ReportOutcome.ForStop(status, waitingForLock, finishedUpdate).ShouldBe(expected);

    [Theory]
    [InlineData("web-1", "lockstep/fleet/fleet/hosts/web-1")]
    [InlineData("a/b", "lockstep/fleet/fleet/hosts/a%2Fb")]
    [InlineData("zincati node ü", "lockstep/fleet/fleet/hosts/zincati+node+%C3%BC")]
    [InlineData("100%+", "lockstep/fleet/fleet/hosts/100%25%2B")]
    [InlineData("../../etc", "lockstep/fleet/fleet/hosts/..%2F..%2Fetc")]
    public void Any_id_makes_one_key_under_the_lockstep_prefix_and_is_read_back_from_it(string id, string key)
    {
        FleetKeys.Host("fleet", id).ShouldBe(key);
        FleetKeys.IdOf(key, FleetKeys.Hosts("fleet")).ShouldBe(id);
        key.ShouldNotStartWith("com.coreos.airlock/");
    }

    [Fact]
    public void One_locks_prefix_never_holds_another_locks_keys() =>
        FleetKeys.Host("web/db", "x").ShouldNotStartWith(FleetKeys.Lock("web"));

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(59, "59s")]
    [InlineData(60, "1m")]
    [InlineData(3599, "59m")]
    [InlineData(3600 + 300, "1h05m")]
    [InlineData(86400 * 2 + 3600 * 4, "2d4h")]
    [InlineData(-5, "0s")]
    public void Durations_are_shown_shortly(int seconds, string shown) =>
        FleetStatusText.Ago(TimeSpan.FromSeconds(seconds)).ShouldBe(shown);
}
