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

    private string LogText => string.Join('\n', _log.Lines.Select(l => l.Message));

    public void Dispose() => _host.Dispose();

    private async Task<int> Run(UpdateState? state = null)
    {
        var options = UpdateOptionsLoader.Load(IniFile.Load(_host.Config));
        var services = new UpdateServices(_backend, ProcessRunner.Instance, _log, _clock, () => 0.5);
        var workflow = new UpdateWorkflow(options, services, new UpdateRequest(false, false), ProcessEnvironment.FromCurrentProcess(),
            UpdateScripts.NameFilter(null), [_host.Dir["bin/fake-reboot"]]);
        return await workflow.RunAsync((state ?? UpdateState.Idle) with { LockName = UpdateHost.LockName, HolderId = UpdateHost.Holder }, CancellationToken.None);
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
        UpdateHost.WaitFor(() => _clock.PendingTimers > 0 || run.IsCompleted, "the workflow to wait for the lock");
        _clock.Advance(TimeSpan.FromSeconds(0.2));

        (await run).ShouldBe(0);
        _clock.RequestedDelays.ShouldBe([TimeSpan.FromSeconds(0.2)]);
        LogText.ShouldContain("is held by db-2");
        _host.Ran.Length.ShouldBe(5);
    }
}
