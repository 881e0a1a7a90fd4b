using Lockstep.History;
using Lockstep.Logging;
using Lockstep.Parts;
using Lockstep.Processes;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.History;

public sealed class RunJournalTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly FakeClock _clock = new(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private readonly RecordingLog _log = new();
    private readonly RunStore _store;

    public RunJournalTests() => _store = RunStore.InStateDirectory(_temp.Path);

    private RunRecord Stored(RunJournal journal) => StoredRun.Read(_store.PathOf(journal.Id))!.Record!;

    [Fact]
    public void Begin_writes_a_running_record_at_once()
    {
        using var journal = new RunJournal(_store, "refresh", "/base", _clock, _log);
        journal.Begin();

        var record = Stored(journal);
        record.Outcome.ShouldBe(RunOutcome.Running);
        record.Process.Pid.ShouldBe(Environment.ProcessId);
        record.BaseDir.ShouldBe("/base");
    }

    [Fact]
    public void Progress_is_written_after_the_save_delay_not_on_every_change()
    {
        using var journal = new RunJournal(_store, "refresh", "/base", _clock, _log);
        journal.Begin();
        journal.PhaseStarted("configure", "/base/configure.d");
        journal.ScriptStarted(new Part("10-slow", "/base/configure.d/10-slow"));

        Stored(journal).Phases.ShouldBeEmpty();

        _clock.Advance(RunJournal.DefaultSaveDelay);

        var phase = Stored(journal).Phases.ShouldHaveSingleItem();
        phase.Outcome.ShouldBe(RunOutcome.Running);
        phase.Scripts.ShouldHaveSingleItem().Status.ShouldBeNull();
    }

    [Fact]
    public void Finish_writes_the_outcome_with_each_phase_and_script()
    {
        using var journal = new RunJournal(_store, "refresh", "/base", _clock, _log);
        journal.Begin();
        journal.PhaseSkipped("pre-configure", "/base/pre-configure.d");
        journal.PhaseStarted("configure", "/base/configure.d");
        var part = new Part("10-x", "/base/configure.d/10-x");
        journal.ScriptStarted(part);
        _clock.Advance(TimeSpan.FromMilliseconds(250));
        journal.ScriptFinished(new PartRun(part, _clock.GetUtcNow(), TimeSpan.FromMilliseconds(250), new ProcessOutcome(ProcessEnd.Exited, 3)));
        journal.PhaseFinished(RunOutcome.Failed, 3, "phase configure: 10-x failed");
        journal.PhaseStarted("error", "/base/error.d", errorHandlers: true);
        journal.PhaseFinished(RunOutcome.Succeeded, 0, null);
        journal.Finish(RunOutcome.Failed, 1, "phase configure: 10-x failed");

        var record = Stored(journal);
        record.Outcome.ShouldBe(RunOutcome.Failed);
        record.ExitStatus.ShouldBe(1);
        record.DurationSeconds.ShouldBe(0.25);
        record.Phases.Select(p => p.Outcome).ShouldBe([RunOutcome.Skipped, RunOutcome.Failed]);
        var script = record.Phases[1].Scripts.ShouldHaveSingleItem();
        script.Status.ShouldBe(3);
        script.DurationSeconds.ShouldBe(0.25);
        record.ErrorHandlers!.Outcome.ShouldBe(RunOutcome.Succeeded);
    }

    [Fact]
    public void A_store_that_cannot_be_written_warns_once_and_the_run_goes_on()
    {
        var store = RunStore.InStateDirectory(_temp.File("not-a-directory", ""));
        using var journal = new RunJournal(store, "refresh", "/base", _clock, _log);

        journal.Begin();
        journal.PhaseStarted("configure", "/base/configure.d");
        _clock.Advance(RunJournal.DefaultSaveDelay);
        journal.Finish(RunOutcome.Succeeded, 0, null);

        var (level, warning) = _log.Lines.ShouldHaveSingleItem();
        level.ShouldBe(LogLevel.Warn);
        warning.ShouldContain("unrecorded");
        warning.ShouldContain("--state-dir");
        journal.RecordPath.ShouldBeNull();
    }

    [Fact]
    public void Finish_prunes_beyond_the_retention()
    {
        for (int i = 0; i < RunStore.DefaultKeep + 3; i++)
        {
            _store.Save(new RunRecord { Id = $"2000{i:D4}", Command = "refresh" });
        }

        using var journal = new RunJournal(_store, "refresh", "/base", _clock, _log);
        journal.Begin();
        journal.Finish(RunOutcome.Succeeded, 0, null);

        var left = _store.LoadLast(1000);
        left.Count.ShouldBe(RunStore.DefaultKeep);
        left[^1].Record!.Id.ShouldBe(journal.Id);
    }

    public void Dispose() => _temp.Dispose();
}
