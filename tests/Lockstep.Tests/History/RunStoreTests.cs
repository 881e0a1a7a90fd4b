using System.Text;
using Lockstep.History;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.History;

public sealed class RunStoreTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly RunStore _store;

    public RunStoreTests() => _store = RunStore.InStateDirectory(_temp.Path);

    private static RunRecord Record(int minute, RunOutcome outcome = RunOutcome.Succeeded) => new()
    {
        Id = RunStore.NewId(new DateTimeOffset(2025, 1, 2, 3, minute / 60, minute % 60, TimeSpan.Zero), 4242),
        Command = "refresh",
        Outcome = outcome,
        StartedAt = new DateTimeOffset(2025, 1, 2, 3, 0, 0, TimeSpan.Zero),
    };

    [Fact]
    public void Ids_sort_in_start_order_and_carry_the_pid()
    {
        RunStore.NewId(new DateTimeOffset(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero), 99).ShouldBe("20250102T030405.678Z-99");
        RunStore.NewId(new DateTimeOffset(2025, 1, 2, 4, 4, 5, TimeSpan.FromHours(1)), 1).ShouldBe("20250102T030405.000Z-1");
    }

    [Fact]
    public void A_saved_record_reads_back_equal_with_private_modes_and_no_temp_file_left()
    {
        var record = Record(1, RunOutcome.Failed);
        record.Phases.Add(new PhaseRecord { Name = "configure", Outcome = RunOutcome.Failed, Status = 7, Scripts = [new ScriptRecord { Name = "10-x", Status = 7 }] });
        _store.Save(record);

        var loaded = _store.LoadLast(10).ShouldHaveSingleItem();
        loaded.Problem.ShouldBeNull();
        loaded.Record!.Outcome.ShouldBe(RunOutcome.Failed);
        loaded.Record.Phases.ShouldHaveSingleItem().Scripts.ShouldHaveSingleItem().Status.ShouldBe(7);
        File.GetUnixFileMode(_store.PathOf(record.Id)).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.GetUnixFileMode(_store.Directory).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.GetFiles(_store.Directory).ShouldBe([_store.PathOf(record.Id)]);
    }

    [Fact]
    public void Saving_again_replaces_the_record_whole()
    {
        var record = Record(1, RunOutcome.Running);
        record.Message = new string('x', 5000);
        _store.Save(record);
        record.Outcome = RunOutcome.Succeeded;
        record.Message = null;
        _store.Save(record);

        var text = File.ReadAllText(_store.PathOf(record.Id));
        text.ShouldNotContain("xxxx");
        _store.LoadLast(1)[0].Record!.Outcome.ShouldBe(RunOutcome.Succeeded);
    }

    [Fact]
    public void Pruning_keeps_the_newest_hundred()
    {
        for (int minute = 0; minute < 105; minute++)
        {
            _store.Save(Record(minute));
        }

        _store.Prune(RunStore.DefaultKeep).ShouldBe(5);

        var left = _store.LoadLast(1000);
        left.Count.ShouldBe(100);
        left[0].Record!.Id.ShouldBe(Record(5).Id);
        left[^1].Record!.Id.ShouldBe(Record(104).Id);
    }

    [Fact]
    public void Load_last_gives_the_newest_oldest_first()
    {
        foreach (int minute in new[] { 3, 1, 2 })
        {
            _store.Save(Record(minute));
        }

        _store.LoadLast(2).Select(r => r.Record!.Id).ShouldBe([Record(2).Id, Record(3).Id]);
    }

    [Theory]
    [InlineData("", "empty file")]
    [InlineData("{\"version\": 1, \"id\": \"x\", \"outc", "not a valid run record")]
    [InlineData("<html>proxy error</html>", "not a valid run record")]
    [InlineData("{}", "no id")]
    [InlineData("{\"version\": 1, \"id\": \"x\", \"outcome\": \"exploded\"}", "not a valid run record")]
    [InlineData("{\"version\": 99, \"id\": \"x\"}", "newer Lockstep")]
    public void A_corrupt_or_foreign_file_is_reported_not_deleted_and_does_not_hide_the_others(string content, string problem)
    {
        _store.Save(Record(1));
        _store.Save(Record(3));
        File.WriteAllText(Path.Combine(_store.Directory, Record(2).Id + ".json"), content);

        var runs = _store.LoadLast(10);

        runs.Count.ShouldBe(3);
        runs[1].Record.ShouldBeNull();
        runs[1].Problem!.ShouldContain(problem);
        runs[0].Record.ShouldNotBeNull();
        runs[2].Record.ShouldNotBeNull();
        File.Exists(Path.Combine(_store.Directory, Record(2).Id + ".json")).ShouldBeTrue();
    }

    [Fact]
    public void Temp_files_of_dead_writers_are_pruned_and_those_of_live_ones_kept()
    {
        _store.Save(Record(1));
        string dead = Path.Combine(_store.Directory, $".{Record(2).Id}.json.tmp-{int.MaxValue - 1}-0123abcd");
        string live = Path.Combine(_store.Directory, $".{Record(3).Id}.json.tmp-{Environment.ProcessId}-0123abcd");
        File.WriteAllText(dead, "{");
        File.WriteAllText(live, "{");

        _store.LoadLast(10).Count.ShouldBe(1);
        _store.Prune(RunStore.DefaultKeep);

        File.Exists(dead).ShouldBeFalse();
        File.Exists(live).ShouldBeTrue();
    }

    [Theory]
    [InlineData(".20250102T030405.000Z-1.json.tmp-1234-abcdef", 1234)]
    [InlineData("20250102T030405.000Z-1.json", null)]
    [InlineData(".x.json.tmp-notapid-abc", null)]
    [InlineData(".x.json.tmp-", null)]
    public void The_writer_pid_is_read_from_temp_names_only(string name, int? pid) =>
        RunStore.TempWriterPid(name).ShouldBe(pid);

    [Fact]
    public void A_missing_directory_has_no_runs()
    {
        new RunStore(_temp["nowhere"]).LoadLast(10).ShouldBeEmpty();
    }

    [Fact]
    public void A_directory_that_cannot_be_created_gives_a_store_error_naming_it()
    {
        string file = _temp.File("state-is-a-file", "");
        var store = RunStore.InStateDirectory(file);

        var error = Should.Throw<RunStoreException>(() => store.Save(Record(1)));

        error.Message.ShouldContain(store.Directory);
    }

    [Fact]
    public void Every_outcome_name_reads_back_as_that_outcome()
    {
        foreach (var outcome in Enum.GetValues<RunOutcome>())
        {
            RunOutcomeJsonConverter.Parse(RunOutcomeJsonConverter.Name(outcome)).ShouldBe(outcome);
        }
    }

    [Fact]
    public void Records_are_snake_case_json_with_outcome_names()
    {
        _store.Save(Record(1, RunOutcome.TimedOut));

        string json = Encoding.UTF8.GetString(File.ReadAllBytes(_store.PathOf(Record(1).Id)));

        json.ShouldContain("\"outcome\": \"timed_out\"");
        json.ShouldContain("\"started_at\"");
    }

    public void Dispose() => _temp.Dispose();
}
