using Lockstep.Config;
using Lockstep.Locks;
using Lockstep.Processes;
using Lockstep.Tests.Support;
using Lockstep.Update;

namespace Lockstep.Tests.Update;

/// <summary>The workflow in-process, against a scripted lock server, for the lock failures a local file cannot produce.</summary>
public sealed class UpdateWorkflowTests : IDisposable
{
    private readonly UpdateHost _host = new();
    private readonly RecordingLog _log = new();
    private readonly FakeClock _clock = new();
    private readonly FakeLockBackend _backend = new();
    private readonly StopSignal _stop = new();
    private IProcessRunner _runner = ProcessRunner.Instance;

    private string LogText => string.Join('\n', _log.Lines.Select(l => l.Message));

    public void Dispose()
    {
        _host.Dispose();
        _stop.Dispose();
    }

    private async Task<int> Run(UpdateState? state = null)
    {
        var options = UpdateOptionsLoader.Load(IniFile.Load(_host.Config));
        var services = new UpdateServices(_backend, _runner, _log, _clock, () => 0.5, _stop);
        var workflow = new UpdateWorkflow(options, services, new UpdateRequest(false, false), ProcessEnvironment.FromCurrentProcess(),
            UpdateScripts.NameFilter(ProcessEnvironment.FromPairs([])), [_host.Dir["bin/fake-reboot"]]);
        return await workflow.RunAsync((state ?? UpdateState.Idle) with { LockName = UpdateHost.LockName, HolderId = UpdateHost.Holder }, _stop.Token);
    }

    /// <summary>Runs every process for real; raises the stop with <paramref name="signal"/> once the one whose path ends in <paramref name="pathEnd"/> has run, as a signal during it would.</summary>
    private void StopAfter(string pathEnd, int signal) => _runner = new StoppingRunner(_stop, pathEnd, signal);

    [Fact]
    public async Task A_stop_before_the_first_step_runs_nothing_and_exits_with_the_signals_status()
    {
        _stop.Raise(LibC.SIGTERM);

        (await Run()).ShouldBe(128 + LibC.SIGTERM);

        _host.Ran.ShouldBeEmpty();
        _backend.Calls.ShouldBeEmpty();
        LogText.ShouldContain("stopped by signal 15 during needs_update; the state is kept and the next run resumes at needs_update");
    }

    [Fact]
    public async Task A_stop_during_an_update_script_keeps_the_step_and_the_lock_for_the_next_run()
    {
        StopAfter("10-update", LibC.SIGINT);

        (await Run()).ShouldBe(128 + LibC.SIGINT);

        _host.Ran.ShouldBe(["needs_update free fleet", "pre_update free fleet", "update free fleet"]);
        _host.State.ShouldNotBeNull().ShouldContain("\"step\": \"update\"");
        _backend.Calls.ShouldBe(["acquire fleet test-host"]);
        LogText.ShouldContain("stopped by signal 2 during update; the state is kept and the next run resumes at update");
    }

    [Fact]
    public async Task A_stop_while_waiting_for_the_lock_ends_the_wait_at_once()
    {
        _backend.FailAcquire(FakeLockBackend.HeldBy("db-2"));

        var run = Task.Run(() => Run());
        Eventually.WaitFor(() => _clock.PendingTimers > 0 || run.IsCompleted, "the workflow to wait for the lock");
        _stop.Raise(LibC.SIGHUP);

        (await run).ShouldBe(128 + LibC.SIGHUP);
        _host.State.ShouldNotBeNull().ShouldContain("\"step\": \"lock_get\"");
        LogText.ShouldContain("stopped by signal 1 during lock_get; the state is kept and the next run resumes at lock_get");
    }

    [Fact]
    public async Task A_stop_while_reboot_cmd_runs_leaves_the_reboot_recorded()
    {
        File.WriteAllText(_host.Dir["needs_reboot.d/10-needs-reboot"], "#!/bin/sh\nexit 1\n");
        StopAfter("fake-reboot", LibC.SIGTERM);

        (await Run()).ShouldBe(128 + LibC.SIGTERM);

        _host.State.ShouldNotBeNull().ShouldContain("\"step\": \"post_update\"");
        _host.State.ShouldContain("boot-1");
        LogText.ShouldContain("stopped by signal 15 during reboot; the state is kept and the next run resumes at reboot");
    }

    private sealed class StoppingRunner(StopSignal stop, string pathEnd, int signal) : IProcessRunner
    {
        public ProcessOutcome Run(ProcessSpec spec)
        {
            var outcome = ProcessRunner.Instance.Run(spec);
            if (spec.Path.EndsWith(pathEnd, StringComparison.Ordinal))
            {
                stop.Raise(signal);
            }

            return outcome;
        }
    }

    [Fact]
    public async Task Defect_5_an_html_answer_from_a_proxy_stops_the_run_with_the_servers_words_and_keeps_the_state()
    {
        _backend.FailAcquire(new LockException(LockErrorKind.Protocol, "Foreman at https://127.0.0.1:8443 answered 502 with text/html, not JSON: <html>Bad Gateway</html>"));

        int status = await Run();

        status.ShouldBe(UpdateExitCodes.LockFailed);
        LogText.ShouldContain("answered 502 with text/html, not JSON: <html>Bad Gateway</html>; the state is kept (lock_get)");
        _backend.Calls.ShouldBe(["acquire fleet test-host"]);
        _host.State.ShouldNotBeNull().ShouldContain("\"step\": \"lock_get\"");
        _host.Ran.ShouldBe(["needs_update free fleet"]);
    }

    [Fact]
    public async Task Defect_6_a_refused_lock_stops_at_once_with_the_servers_reason_instead_of_retrying()
    {
        _backend.FailAcquire(new LockException(LockErrorKind.Refused, "Foreman at https://127.0.0.1:8443: lock 'fleet' is disabled"));

        int status = await Run();

        status.ShouldBe(UpdateExitCodes.LockFailed);
        LogText.ShouldContain("lock 'fleet' refused: Foreman at https://127.0.0.1:8443: lock 'fleet' is disabled; waiting would not help");
        _backend.Calls.Count.ShouldBe(1);
        _clock.RequestedDelays.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_unreachable_server_stops_the_run_and_the_next_run_resumes_the_same_step()
    {
        _backend.FailAcquire(new LockException(LockErrorKind.Unreachable, "Foreman at https://127.0.0.1:8443 did not answer within 30 s"));

        (await Run()).ShouldBe(UpdateExitCodes.LockFailed);
        LogText.ShouldContain("did not answer within 30 s; the state is kept (lock_get) and the next run tries again");

        (await Run(UpdateStateFile.Read(_host.StatePath))).ShouldBe(0);
        _host.Ran.Count(l => l.StartsWith("needs_update", StringComparison.Ordinal)).ShouldBe(1);
        _backend.Calls.ShouldBe(["acquire fleet test-host", "acquire fleet test-host", "release fleet test-host"]);
    }

    [Fact]
    public async Task A_failed_release_keeps_the_state_and_the_next_run_releases_again()
    {
        _backend.ReleaseFailure = new LockException(LockErrorKind.Unreachable, "Foreman at https://127.0.0.1:8443 refused the connection");

        (await Run()).ShouldBe(UpdateExitCodes.LockFailed);
        _host.State.ShouldNotBeNull().ShouldContain("\"step\": \"lock_release\"");

        _backend.ReleaseFailure = null;
        (await Run(UpdateStateFile.Read(_host.StatePath))).ShouldBe(0);
        _host.State.ShouldBeNull();
        _host.Ran.Count(l => l.StartsWith("post_update", StringComparison.Ordinal)).ShouldBe(1);
    }

    [Fact]
    public async Task A_host_waits_while_another_holds_the_lock_then_goes_on()
    {
        _backend.FailAcquire(FakeLockBackend.HeldBy("db-2"));

        var run = Task.Run(() => Run());
        Eventually.WaitFor(() => _clock.PendingTimers > 0 || run.IsCompleted, "the workflow to wait for the lock");
        _clock.Advance(TimeSpan.FromSeconds(0.2));

        (await run).ShouldBe(0);
        _clock.RequestedDelays.ShouldBe([TimeSpan.FromSeconds(0.2)]);
        LogText.ShouldContain("is held by db-2");
        _host.Ran.Length.ShouldBe(5);
    }
}
