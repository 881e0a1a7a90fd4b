using Lockstep.Logging;
using Lockstep.Processes;
using Lockstep.Tests.Support;
using Lockstep.Update;

namespace Lockstep.Tests.Update;

/// <summary>The wait for a killed run's script, on a fake clock and a fake process table: no test sleeps.</summary>
public sealed class LeftoverScriptsTests : IDisposable
{
    private const int Session = 100;
    private readonly TempDir _dir = new();
    private readonly FakeClock _clock = new();
    private readonly RecordingLog _log = new();
    private readonly FakeProcesses _processes = new();
    private readonly StopSignal _stop = new();

    private string RecordPath => _dir["var/update.state.script"];

    public void Dispose()
    {
        _stop.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Without_a_record_nothing_is_looked_at_or_said()
    {
        (await Settle(TimeSpan.FromMinutes(60))).ShouldBeNull();

        _log.Lines.ShouldBeEmpty();
        _processes.TableReads.ShouldBe(0);
    }

    [Fact]
    public async Task A_script_that_has_ended_is_passed_silently_and_its_record_removed()
    {
        Record(startedAgo: TimeSpan.FromMinutes(5));

        (await Settle(TimeSpan.FromMinutes(60))).ShouldBeNull();

        _log.Lines.Where(l => l.Level >= LogLevel.Info).ShouldBeEmpty();
        File.Exists(RecordPath).ShouldBeFalse();
    }

    [Fact]
    public async Task A_running_script_is_waited_for_polling_until_it_ends_then_the_run_goes_on()
    {
        Record(startedAgo: TimeSpan.FromMinutes(5));
        var script = _processes.Run(500, 1000);

        var wait = Settle(TimeSpan.FromMinutes(60));

        wait.IsCompleted.ShouldBeFalse();
        _log.At(LogLevel.Warn).ShouldBe([
            "update script /u/10-apt (pid 500, process group 500), left by a lockstep update that was killed, still runs after 300 s; " +
            "waiting for at most 3300 s more (script_timeout 3600 s from its start) before anything runs again"]);
        _clock.Advance(LeftoverScripts.Poll, wait);
        _clock.Advance(LeftoverScripts.Poll, wait);
        wait.IsCompleted.ShouldBeFalse();
        _processes.Exit(script);
        _clock.Advance(LeftoverScripts.Poll, wait);

        wait.IsCompletedSuccessfully.ShouldBeTrue();
        (await wait).ShouldBeNull();
        _clock.RequestedDelays.ShouldAllBe(d => d == LeftoverScripts.Poll);
        _log.At(LogLevel.Info).ShouldBe(["update script /u/10-apt (pid 500, process group 500) ended after 0.6 s of waiting; going on"]);
        _processes.Ended.ShouldBeEmpty();
        File.Exists(RecordPath).ShouldBeFalse();
    }

    [Fact]
    public async Task A_script_is_ended_with_everything_of_it_when_its_script_timeout_from_its_start_is_up()
    {
        Record(startedAgo: TimeSpan.FromSeconds(59.9));
        _processes.Run(500, 1000);
        _processes.Run(501, 1001, group: 500);
        _processes.Run(502, 1002, group: 502, marked: true);
        _processes.Run(503, 900, group: 503);

        var wait = Settle(TimeSpan.FromSeconds(60));
        _clock.RequestedDelays.ShouldBe([TimeSpan.FromSeconds(0.1)], "the last pause ends at the deadline");
        _clock.Advance(TimeSpan.FromSeconds(0.1), wait);

        wait.IsCompletedSuccessfully.ShouldBeTrue();
        (await wait).ShouldBeNull();
        _processes.Ended.Single().Pids.ShouldBe([500, 501, 502]);
        _processes.Ended.Single().Grace.ShouldBe(TimeSpan.FromSeconds(2));
        _log.At(LogLevel.Warn).ShouldContain(
            "update script /u/10-apt (pid 500, process group 500) outlived script_timeout (60 s): ending it with its process group (TERM, then KILL after kill_grace 2 s)");
        File.Exists(RecordPath).ShouldBeFalse();
    }

    [Fact]
    public async Task A_script_already_past_its_timeout_is_ended_at_once()
    {
        Record(startedAgo: TimeSpan.FromHours(2));
        _processes.Run(500, 1000);

        (await Settle(TimeSpan.FromHours(1))).ShouldBeNull();

        _clock.RequestedDelays.ShouldBeEmpty();
        _processes.Ended.Single().Pids.ShouldBe([500]);
    }

    [Fact]
    public async Task Without_a_script_timeout_the_wait_has_no_bound()
    {
        Record(startedAgo: TimeSpan.FromDays(3));
        _processes.Run(500, 1000);

        var wait = Settle(null);
        _clock.Advance(TimeSpan.FromHours(1), wait);

        wait.IsCompleted.ShouldBeFalse();
        _processes.Ended.ShouldBeEmpty();
        _log.At(LogLevel.Warn).Single().ShouldContain("waiting for as long as it runs (script_timeout = 0)");
        _stop.Raise(LibC.SIGINT);
        (await wait.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBe(128 + LibC.SIGINT);
    }

    [Fact]
    public async Task A_stop_signal_ends_the_wait_and_keeps_the_record_for_the_next_run()
    {
        Record(startedAgo: TimeSpan.FromMinutes(1));
        _processes.Run(500, 1000);
        var wait = Settle(TimeSpan.FromMinutes(60));

        _stop.Raise(LibC.SIGTERM);

        (await wait.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBe(128 + LibC.SIGTERM);
        _processes.Ended.ShouldBeEmpty();
        _log.At(LogLevel.Error).ShouldBe([
            "stopped by signal 15 while waiting for update script /u/10-apt (pid 500, process group 500); it was left running, and the next run waits for it again"]);
        File.Exists(RecordPath).ShouldBeTrue();
    }

    [Fact]
    public async Task A_record_of_an_earlier_boot_is_removed_without_a_word_above_debug()
    {
        Record(startedAgo: TimeSpan.FromMinutes(1), bootId: "boot-0");
        _processes.Run(500, 1000);

        (await Settle(TimeSpan.FromMinutes(60))).ShouldBeNull();

        _log.Lines.Where(l => l.Level >= LogLevel.Info).ShouldBeEmpty();
        _processes.Ended.ShouldBeEmpty();
        File.Exists(RecordPath).ShouldBeFalse();
    }

    [Theory]
    [InlineData("{\"format\":")]
    [InlineData("null")]
    [InlineData("{\"format\": \"lockstep-update-script/1\", \"boot_id\": null}")]
    [InlineData("{\"format\": \"lockstep-update-script/1\", \"boot_id\": \"b\", \"step\": \"update\", \"script\": \"/s\", \"marker\": \"m\", \"session\": 1, \"started_at\": \"2026-01-01T00:00:00Z\", \"pid\": 5}")]
    [InlineData("{\"format\": \"lockstep-update-script/9\"}")]
    public async Task A_damaged_record_is_one_warning_and_the_run_goes_on(string text)
    {
        Directory.CreateDirectory(_dir["var"]);
        File.WriteAllText(RecordPath, text);

        (await Settle(TimeSpan.FromMinutes(60))).ShouldBeNull();

        _log.At(LogLevel.Warn).Single().ShouldStartWith($"script record {RecordPath} cannot be read (");
        _processes.TableReads.ShouldBe(0);
    }

    [Fact]
    public async Task An_empty_record_as_a_power_cut_leaves_it_is_no_record()
    {
        Directory.CreateDirectory(_dir["var"]);
        File.WriteAllText(RecordPath, "");

        (await Settle(TimeSpan.FromMinutes(60))).ShouldBeNull();

        _log.Lines.ShouldBeEmpty();
        _processes.TableReads.ShouldBe(0);
    }

    [Fact]
    public void The_record_round_trips_and_is_private()
    {
        var record = new ScriptRecord("boot-1", "update", "/u/10-apt", "m", Session, _clock.GetUtcNow()) { Pid = 500, StartTicks = 1000 };

        ScriptRecordFile.Write(RecordPath, record);

        ScriptRecordFile.Read(RecordPath).ShouldBe(record);
        File.GetUnixFileMode(RecordPath).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        ScriptRecordFile.Clear(RecordPath);
        ScriptRecordFile.Read(RecordPath).ShouldBeNull();
    }

    private Task<int?> Settle(TimeSpan? scriptTimeout) =>
        new LeftoverScripts(_processes, _clock, _log).SettleAsync(RecordPath, () => "boot-1", scriptTimeout, TimeSpan.FromSeconds(2), _stop);

    private void Record(TimeSpan startedAgo, string bootId = "boot-1") =>
        ScriptRecordFile.Write(RecordPath, new ScriptRecord(bootId, "update", "/u/10-apt", "m1", Session, _clock.GetUtcNow() - startedAgo) { Pid = 500, StartTicks = 1000 });

    /// <summary>A process table the test changes; ending processes is recorded, not done.</summary>
    private sealed class FakeProcesses : ILeftoverProcesses
    {
        private readonly List<ProcEntry> _table = [];
        private readonly HashSet<int> _marked = [];

        public int TableReads { get; private set; }

        public List<(int[] Pids, TimeSpan Grace)> Ended { get; } = [];

        public ProcEntry Run(int pid, ulong start, int? group = null, bool marked = false)
        {
            var entry = new ProcEntry(pid, 1, 'S', start) { ProcessGroup = group ?? pid, Session = Session };
            lock (_table)
            {
                _table.Add(entry);
                if (marked)
                {
                    _marked.Add(pid);
                }
            }

            return entry;
        }

        public void Exit(ProcEntry process)
        {
            lock (_table)
            {
                _table.Remove(process);
            }
        }

        public IReadOnlyList<ProcEntry> Table()
        {
            lock (_table)
            {
                TableReads++;
                return [.. _table];
            }
        }

        public bool Marked(int pid, string marker) => marker == "m1" && _marked.Contains(pid);

        public bool IsRunning(ProcEntry process)
        {
            lock (_table)
            {
                return _table.Contains(process);
            }
        }

        public void End(Func<List<ProcEntry>> members, TimeSpan grace)
        {
            var pids = members().Select(e => e.Pid).ToArray();
            Ended.Add((pids, grace));
            lock (_table)
            {
                _table.RemoveAll(e => pids.Contains(e.Pid));
            }
        }
    }
}
