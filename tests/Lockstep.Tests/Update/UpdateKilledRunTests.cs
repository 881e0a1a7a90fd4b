using System.Globalization;
using System.Text.Json.Nodes;
using Lockstep.Processes;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.Update;

/// <summary>
/// kill -9 of lockstep update while a script runs leaves the script running; the next run must find
/// it from the record the killed run left, wait for it (or end it at its script_timeout), say so,
/// and only then run the step again: never two copies of a step at once. README, "After a killed run".
/// </summary>
public sealed class UpdateKilledRunTests : IDisposable
{
    private readonly UpdateHost _host;
    private readonly StrayProcesses _strays = new();

    public UpdateKilledRunTests() : this("")
    {
    }

    private UpdateKilledRunTests(string extraMain)
    {
        _host = new UpdateHost(extraMain);
        foreach (string step in UpdateHost.Steps)
        {
            _host.Dir.Script($"{step}.d/10-{step.Replace('_', '-')}", StepScript);
        }
    }

    private string Order => File.Exists(_host.Dir["order.log"]) ? File.ReadAllText(_host.Dir["order.log"]) : "";

    private string RecordPath => _host.StatePath + ".script";

    public void Dispose()
    {
        _strays.Dispose();
        _host.Dispose();
    }

    [Theory]
    [InlineData("needs_update")]
    [InlineData("pre_update")]
    [InlineData("update")]
    [InlineData("post_update")]
    public void The_next_run_waits_for_the_script_a_killed_run_left_and_then_runs_the_step_again(string step)
    {
        int old = KillWhileScriptRuns(step);

        using var next = new RunningUpdate(_host.Start());
        string warning = WaitForLogLine("still runs");
        // The killed run's script still holds the step: the new run has not started it beside it.
        Lines(step).ShouldBe([$"{step} old start"], warning);
        next.HasExited.ShouldBeFalse();
        Release();
        var result = next.Finish();

        result.ExitCode.ShouldBe(0, result.ToString());
        Lines(step).ShouldBe([$"{step} old start", $"{step} old end", $"{step} new start", $"{step} new end"], result.ToString());
        result.Stderr.ShouldContain(
            $"WARN: {step} script {_host.Dir[$"{step}.d/10-{step.Replace('_', '-')}"]} (pid {old}, process group {old}), left by a lockstep update that was killed, still runs after ");
        result.Stderr.ShouldContain("waiting for at most ");
        result.Stderr.ShouldContain($"(pid {old}, process group {old}) ended after ");
        _host.State.ShouldBeNull(result.ToString());
        File.Exists(RecordPath).ShouldBeFalse();
    }

    [Fact]
    public void A_script_that_forked_a_child_into_its_group_is_waited_for_until_it_ends()
    {
        KillWhileScriptRuns("update", fork: true);
        int child = _strays.Pids(_host.Dir["child.pid"])[0];

        using var next = new RunningUpdate(_host.Start());
        WaitForLogLine("still runs");
        ProcessProbe.IsAlive(child).ShouldBeTrue();
        Release();
        var result = next.Finish();

        result.ExitCode.ShouldBe(0, result.ToString());
        Lines("update").ShouldBe(["update old start", "update old child end", "update old end", "update new start", "update new end"], result.ToString());
    }

    [Fact]
    public void A_script_that_outlives_its_script_timeout_is_ended_with_its_group_and_the_children_that_left_it()
    {
        using var host = new UpdateKilledRunTests("script_timeout = 3");
        int old = host.KillWhileScriptRuns("update", fork: true);
        int child = host._strays.Pids(host._host.Dir["child.pid"])[0];
        int daemon = host._strays.Pids(host._host.Dir["setsid.pid"])[0];

        var result = host._host.Update();

        result.ExitCode.ShouldBe(0, result.ToString());
        foreach (int pid in new[] { old, child, daemon })
        {
            ProcessProbe.IsAlive(pid).ShouldBeFalse($"pid {pid}\n{result}");
        }

        host.Lines("update").ShouldBe(["update old start", "update new start", "update new end"], result.ToString());
        result.Stderr.ShouldContain($"(pid {old}, process group {old}) outlived script_timeout (3 s): ending it with its process group (TERM, then KILL after kill_grace 1 s)");
        result.Stderr.ShouldContain($"(pid {old}, process group {old}) ended; update runs again");
    }

    [Fact]
    public void A_script_left_running_is_found_by_its_marker_when_the_run_was_killed_before_it_recorded_the_pid()
    {
        int old = KillWhileScriptRuns("update");
        // What the record holds when kill -9 came between the spawn and the record of the pid
        // (on a loaded machine the kill may have come there already).
        var record = JsonNode.Parse(File.ReadAllText(RecordPath))!.AsObject();
        record.Remove("pid");
        record.Remove("start_ticks");
        record.ContainsKey("marker").ShouldBeTrue();
        File.WriteAllText(RecordPath, record.ToJsonString());

        using var next = new RunningUpdate(_host.Start());
        WaitForLogLine("still runs");
        Release();
        var result = next.Finish();

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stderr.ShouldContain($"(pid {old}, process group {old}), left by a lockstep update that was killed, still runs");
        Lines("update").ShouldBe(["update old start", "update old end", "update new start", "update new end"], result.ToString());
    }

    [Fact]
    public void A_script_that_ended_after_the_kill_is_not_mentioned_and_not_waited_for()
    {
        int old = KillWhileScriptRuns("update");
        Release();
        ProcessProbe.WaitUntilGone(old, TimeSpan.FromSeconds(20));

        var result = _host.Update();

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stderr.ShouldNotContain("killed");
        result.Stderr.ShouldNotContain(" WARN: ");
        Lines("update").ShouldBe(["update old start", "update old end", "update new start", "update new end"], result.ToString());
        File.Exists(RecordPath).ShouldBeFalse();
    }

    [Fact]
    public void A_daemon_the_script_started_and_left_running_when_it_ended_is_not_waited_for_nor_ended()
    {
        int old = KillWhileScriptRuns("update", daemon: true);
        int daemon = _strays.Pids(_host.Dir["setsid.pid"])[0];
        Release();
        ProcessProbe.WaitUntilGone(old, TimeSpan.FromSeconds(20));

        var result = _host.Update();

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stderr.ShouldNotContain("still runs");
        ProcessProbe.IsAlive(daemon).ShouldBeTrue("a daemon the script meant to leave running is not the script");
        Lines("update").ShouldBe(["update old start", "update old end", "update new start", "update new end"], result.ToString());
    }

    [Fact]
    public void A_record_of_an_earlier_boot_is_ignored_even_if_its_pid_runs()
    {
        int old = KillWhileScriptRuns("update");
        _host.Reboot("boot-2");

        var result = _host.Update();

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stderr.ShouldNotContain("still runs");
        ProcessProbe.IsAlive(old).ShouldBeTrue("a process of another boot is nothing of ours: never signalled");
        Lines("update").ShouldBe(["update old start", "update new start", "update new end"], result.ToString());
        File.Exists(RecordPath).ShouldBeFalse();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_recorded_pid_now_used_by_an_unrelated_process_is_neither_waited_for_nor_signalled(bool pidRecorded)
    {
        // An unrelated process in a group of its own, as the pid's new owner would be.
        using var stranger = System.Diagnostics.Process.Start("setsid", ["sleep", "60"]);
        Eventually.WaitFor(() => ProcessTable.TryRead(stranger.Id) is { } e && e.ProcessGroup == stranger.Id, "the stranger to lead its group");
        _strays.Collect(_host.Dir.File("stranger.pid", $"{stranger.Id}\n"));
        var entry = ProcessTable.TryRead(stranger.Id)!.Value;
        string pid = pidRecorded ? $"\"pid\": {stranger.Id}, \"start_ticks\": {entry.StartTicks + 1}," : "";
        Directory.CreateDirectory(_host.Dir["var"]);
        File.WriteAllText(RecordPath, $$"""
            {"format": "lockstep-update-script/1", "boot_id": "boot-1", "step": "update", "script": "{{_host.Dir["update.d/10-update"]}}",
             "marker": "0123456789abcdef0123456789abcdef", "session": {{entry.Session}}, {{pid}} "started_at": "2026-01-01T00:00:00+00:00"}
            """);

        var result = _host.Update();

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stderr.ShouldNotContain("still runs");
        ProcessProbe.IsAlive(stranger.Id).ShouldBeTrue();
        File.Exists(RecordPath).ShouldBeFalse();
    }

    [Fact]
    public void A_stop_signal_ends_the_wait_and_leaves_the_script_and_its_record_for_the_next_run()
    {
        int old = KillWhileScriptRuns("update");

        using var next = new RunningUpdate(_host.Start());
        WaitForLogLine("still runs");
        LibC.kill(next.Pid, LibC.SIGTERM).ShouldBe(0);
        var result = next.Finish();

        result.ExitCode.ShouldBe(128 + LibC.SIGTERM, result.ToString());
        result.Stderr.ShouldContain($"stopped by signal {LibC.SIGTERM} while waiting for update script");
        ProcessProbe.IsAlive(old).ShouldBeTrue();
        File.Exists(RecordPath).ShouldBeTrue();
        Lines("update").ShouldBe(["update old start"]);
    }

    /// <summary>Runs lockstep until the script of <paramref name="step"/> holds, then kill -9 of lockstep alone; returns the script's pid.</summary>
    private int KillWhileScriptRuns(string step, bool fork = false, bool daemon = false)
    {
        var environment = new Dictionary<string, string?> { ["LEFT_IN"] = step };
        if (fork)
        {
            environment["FORK"] = "1";
        }

        if (daemon)
        {
            environment["DAEMON"] = "1";
        }

        using var run = new RunningUpdate(_host.Start(environment));
        Eventually.WaitFor(() => run.HasExited || File.Exists(_host.Dir["held.pid"]), $"the {step} script to hold");
        _strays.Collect(_host.Dir["held.pid"], _host.Dir["child.pid"], _host.Dir["setsid.pid"]);
        run.HasExited.ShouldBeFalse("lockstep ended before the script held");
        run.Kill();
        var killed = run.Finish();
        killed.ExitCode.ShouldBe(128 + 9, killed.ToString());
        int script = _strays.Pids(_host.Dir["held.pid"])[0];
        ProcessProbe.IsAlive(script).ShouldBeTrue("kill -9 of lockstep leaves its script running");
        return script;
    }

    /// <summary>What the scripts of <paramref name="step"/> logged, in order.</summary>
    private string[] Lines(string step) => [.. Order.Split('\n').Where(l => l.StartsWith($"{step} ", StringComparison.Ordinal))];

    private void Release() => File.WriteAllText(_host.Dir["release"], "");

    private string WaitForLogLine(string text)
    {
        string line = "";
        bool found = Eventually.Holds(
            () => File.Exists(_host.LogFile) && (line = File.ReadLines(_host.LogFile).LastOrDefault(l => l.Contains(text, StringComparison.Ordinal)) ?? "").Length > 0,
            TimeSpan.FromSeconds(20));
        found.ShouldBeTrue($"the next run never said '{text}'; it ran:\n{Order}\nlog:\n{(File.Exists(_host.LogFile) ? File.ReadAllText(_host.LogFile) : "")}");
        return line;
    }

    /// <summary>
    /// Every step's script: with LEFT_IN naming its step, it stands for a long apt run (output to
    /// /dev/null so a killed lockstep's pipes close; with FORK, a child in its group and a setsid
    /// one outside it; with DAEMON, a setsid daemon that outlives it) and holds until the test
    /// creates "release"; otherwise it logs its start and end.
    /// </summary>
    private string StepScript => string.Create(CultureInfo.InvariantCulture, $$"""
        root='{{_host.Dir.Path}}'
        if [ "${LEFT_IN:-}" = "$LOCKSTEP_STEP" ]; then
          exec >/dev/null 2>&1
          echo "$LOCKSTEP_STEP old start" >> "$root/order.log"
          if [ -n "${FORK:-}" ]; then
            ( while [ ! -e "$root/release" ]; do sleep 0.05; done; echo "$LOCKSTEP_STEP old child end" >> "$root/order.log" ) &
            echo $! > "$root/child.pid"
            setsid sh -c 'echo $$ > "$1/setsid.tmp"; mv "$1/setsid.tmp" "$1/setsid.pid"; while [ ! -e "$1/release" ]; do sleep 0.05; done' sh "$root" &
            while [ ! -e "$root/setsid.pid" ]; do sleep 0.01; done
          fi
          if [ -n "${DAEMON:-}" ]; then
            setsid sh -c 'echo $$ > "$1/setsid.tmp"; mv "$1/setsid.tmp" "$1/setsid.pid"; while :; do sleep 0.05; done' sh "$root" &
            while [ ! -e "$root/setsid.pid" ]; do sleep 0.01; done
          fi
          echo $$ > "$root/held.tmp"; mv "$root/held.tmp" "$root/held.pid"
          while [ ! -e "$root/release" ]; do sleep 0.05; done
          if [ -n "${FORK:-}" ]; then wait; fi
          echo "$LOCKSTEP_STEP old end" >> "$root/order.log"
          exit 0
        fi
        echo "$LOCKSTEP_STEP new start" >> "$root/order.log"
        echo "$LOCKSTEP_STEP new end" >> "$root/order.log"
        {{UpdateHost.StepBehaviour}}
        """);
}
