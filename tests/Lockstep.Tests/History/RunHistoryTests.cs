using Lockstep.History;

namespace Lockstep.Tests.History;

public sealed class RunHistoryTests
{
    private static RunRecord Running() => new()
    {
        Id = "20250102T030405.000Z-1",
        Outcome = RunOutcome.Running,
        Phases =
        [
            new PhaseRecord { Name = "pre-configure", Outcome = RunOutcome.Succeeded },
            new PhaseRecord { Name = "configure", Outcome = RunOutcome.Running, Scripts = [new ScriptRecord { Name = "20-slow", Path = "/b/configure.d/20-slow" }] },
        ],
    };

    [Fact]
    public void A_running_record_whose_process_is_gone_did_not_finish()
    {
        var record = Running();

        RunHistory.MarkUnfinished(record, _ => false);

        record.Outcome.ShouldBe(RunOutcome.DidNotFinish);
        record.Phases.Select(p => p.Outcome).ShouldBe([RunOutcome.Succeeded, RunOutcome.DidNotFinish]);
    }

    [Fact]
    public void A_running_record_whose_process_lives_is_still_running()
    {
        var record = Running();

        RunHistory.MarkUnfinished(record, _ => true);

        record.Outcome.ShouldBe(RunOutcome.Running);
    }

    [Fact]
    public void A_finished_record_is_left_as_it_is()
    {
        var record = Running();
        record.Outcome = RunOutcome.Failed;

        RunHistory.MarkUnfinished(record, _ => false);

        record.Outcome.ShouldBe(RunOutcome.Failed);
        record.Phases[1].Outcome.ShouldBe(RunOutcome.Running);
    }

    [Fact]
    public void The_table_says_where_a_run_that_did_not_finish_was()
    {
        var record = Running();
        RunHistory.MarkUnfinished(record, _ => false);

        string table = HistoryTable.Format([new StoredRun("/x.json", record, null)], detail: true, TimeZoneInfo.Utc);

        table.ShouldContain("did_not_finish");
        table.ShouldContain("killed or crashed during configure (/b/configure.d/20-slow)");
        table.ShouldContain("20-slow");
        table.ShouldContain("did not finish");
    }

    [Fact]
    public void The_table_shows_an_unreadable_record_with_its_problem()
    {
        string table = HistoryTable.Format([new StoredRun("/s/runs/x.json", null, "empty file")], detail: false, TimeZoneInfo.Utc);

        table.ShouldContain("unreadable");
        table.ShouldContain("/s/runs/x.json: empty file");
    }

    [Fact]
    public void Json_output_leaves_unreadable_records_out_and_names_outcomes_in_snake_case()
    {
        var record = Running();
        RunHistory.MarkUnfinished(record, _ => false);

        string json = RunHistory.ToJson([new StoredRun("/a.json", record, null), new StoredRun("/b.json", null, "empty file")]);

        json.ShouldContain("\"outcome\": \"did_not_finish\"");
        json.ShouldNotContain("/b.json");
        json.ShouldEndWith("]\n");
    }
}
