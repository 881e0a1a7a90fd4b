namespace Lockstep.Tests.Rollout;

/// <summary>The checker on synthetic timelines: each promise broken on purpose, and kept.</summary>
public sealed class RolloutCheckerTests
{
    private static readonly string[] Steps = ["pre_update", "update", "needs_reboot", "post_update"];

    [Theory]
    [InlineData(1, 2, true)]
    [InlineData(2, 2, false)]
    [InlineData(3, 2, false)]
    public void Hosts_whose_updates_overlap_are_a_violation_only_beyond_the_slots(int slots, int expectedPeak, bool violated)
    {
        var timeline = Lines("a 1 pre_update start", "b 1 pre_update start", "a 1 pre_update end", "b 1 pre_update end")
            .Concat(RestOf("a", 1)).Concat(RestOf("b", 1));

        var verdict = Check(slots, timeline, Updated("a"), Updated("b"));

        verdict.PeakConcurrency.ShouldBe(expectedPeak);
        verdict.Violations.Any(v => v.Contains($"2 hosts in their update with {slots} slot(s): a#1, b#1")).ShouldBe(violated, string.Join('\n', verdict.Violations));
    }

    [Fact]
    public void Hosts_one_after_the_other_keep_one_slot()
    {
        var verdict = Check(1, Whole("a", 1).Concat(Whole("b", 1)).Concat(Whole("a", 2)), Updated("a", 2), Updated("b"));

        verdict.PeakConcurrency.ShouldBe(1);
        verdict.Violations.ShouldBeEmpty();
        verdict.RepeatsAfterKill.ShouldBeEmpty();
    }

    [Fact]
    public void A_host_is_in_its_update_until_its_last_post_update_ends_so_a_repeat_after_a_kill_still_holds_its_slot()
    {
        var timeline = Whole("a", 1)
            .Concat(Lines("a 1 kill kill-in-script", "b 1 pre_update start", "a 1 post_update start", "a 1 post_update end"))
            .Concat(Lines("b 1 pre_update end")).Concat(RestOf("b", 1));

        var verdict = Check(1, timeline, Updated("a"), Updated("b"));

        verdict.PeakConcurrency.ShouldBe(2);
        verdict.Violations.ShouldContain(v => v.Contains("2 hosts in their update with 1 slot(s): a#1, b#1"));
        verdict.RepeatsAfterKill.ShouldContain(r => r.StartsWith("a: update 1: post_update completed again"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_step_completed_twice_is_a_repeat_after_a_kill_and_a_violation_without_one(bool killed)
    {
        var timeline = Lines("a 1 pre_update start", "a 1 pre_update end", "a 1 update start", "a 1 update end")
            .Concat(killed ? Lines("a 1 kill kill-in-lockstep") : [])
            .Concat(Lines("a 1 update start", "a 1 update end", "a 1 needs_reboot start", "a 1 needs_reboot end", "a 1 post_update start", "a 1 post_update end"));

        var verdict = Check(1, timeline, Updated("a"));

        verdict.RepeatsAfterKill.Count.ShouldBe(killed ? 1 : 0);
        verdict.Violations.Count(v => v.Contains("update completed again") && v.EndsWith("with no crash in between")).ShouldBe(killed ? 0 : 1);
    }

    [Fact]
    public void A_kill_of_another_host_does_not_explain_a_repeat()
    {
        var timeline = Lines("a 1 pre_update start", "a 1 pre_update end", "b 1 kill kill-in-script", "a 1 pre_update start", "a 1 pre_update end").Concat(RestOf("a", 1));

        Check(1, timeline, Updated("a")).Violations.ShouldContain(v => v.StartsWith("a: update 1: pre_update completed again") && v.EndsWith("with no crash in between"));
    }

    [Fact]
    public void A_failed_script_that_succeeds_once_fixed_completed_once()
    {
        var timeline = Lines("a 1 pre_update start", "a 1 pre_update fail", "a 1 fix pre_update", "a 1 pre_update start", "a 1 pre_update end").Concat(RestOf("a", 1));

        var verdict = Check(1, timeline, Updated("a"));

        verdict.Violations.ShouldBeEmpty();
        verdict.RepeatsAfterKill.ShouldBeEmpty();
    }

    [Fact]
    public void A_host_that_says_it_is_updated_but_skipped_a_step_is_a_violation()
    {
        var timeline = Lines("a 1 pre_update start", "a 1 pre_update end", "a 1 needs_reboot start", "a 1 needs_reboot end", "a 1 post_update start", "a 1 post_update end");

        Check(1, timeline, Updated("a")).Violations.ShouldBe(["a: update 1: update never completed"]);
    }

    [Fact]
    public void Every_end_state_of_the_fleet_that_breaks_a_promise_is_named()
    {
        var facts = new RolloutFacts(
            2,
            TimelineEvent.Parse(Whole("a", 1)),
            [new HostOutcome("a", 1, 1, StateLeft: false), new HostOutcome("b", 2, 1, StateLeft: true, StateProblem: "/x/update.state holds '{\"form'")],
            ["b"],
            ["pid 42: /bin/bash /x/b/update.d/10-update"],
            ["b: update 2, run 3: exit 70 that no fault explains: internal error"]);

        var verdict = RolloutChecker.Check(facts);

        verdict.Violations.ShouldBe([
            "b: state file unreadable: /x/update.state holds '{\"form'",
            "b: not updated: 1 of 2 updates done, a state file is left",
            "slot still held at the end by b",
            "script process left running: pid 42: /bin/bash /x/b/update.d/10-update",
            "b: update 2, run 3: exit 70 that no fault explains: internal error",
        ]);
    }

    [Fact]
    public void A_timeline_line_that_does_not_parse_is_named()
    {
        Should.Throw<FormatException>(() => TimelineEvent.Parse(["1.0 a 1 pre_update start 7", "1.1 a one update start 7"]))
            .Message.ShouldBe("timeline line 2 is not 'SECONDS HOST UPDATE WHAT EVENT PID': '1.1 a one update start 7'");
    }

    private static RolloutVerdict Check(int slots, IEnumerable<string> timeline, params HostOutcome[] hosts) =>
        RolloutChecker.Check(new RolloutFacts(slots, TimelineEvent.Parse(timeline), hosts, [], [], []));

    private static HostOutcome Updated(string host, int updates = 1) => new(host, updates, updates, StateLeft: false);

    /// <summary>"HOST UPDATE WHAT EVENT" lines, one second apart, as the timeline holds them.</summary>
    private static List<string> Lines(params string[] lines) => [.. lines.Select((l, i) => $"{i}.5 {l} 100")];

    private static List<string> Whole(string host, int update) => Lines([.. Steps.SelectMany(s => new[] { $"{host} {update} {s} start", $"{host} {update} {s} end" })]);

    private static List<string> RestOf(string host, int update) => Whole(host, update).Skip(2).ToList();
}
