using Lockstep.Config;
using Lockstep.Processes;
using Lockstep.Tests.Support;
using Lockstep.Update;

namespace Lockstep.Tests.Update;

/// <summary>The workflow in-process on a clock the test moves: the reboot step waits on the clock itself (no test hook) until a window opens.</summary>
public sealed class UpdateWindowWaitTests : IDisposable
{
    // The fake clock starts on Friday 2025-03-14 at 09:00 UTC.
    private readonly UpdateHost _host = new("maintenance_window = Fri 10:00-11:00 UTC");
    private readonly RecordingLog _log = new();
    private readonly FakeClock _clock = new();
    private readonly FakeLockBackend _backend = new();
    private readonly StopSignal _stop = new();

    public void Dispose()
    {
        _stop.Dispose();
        _host.Dispose();
    }

    private Task<int> Start(UpdateStep step)
    {
        var options = UpdateOptionsLoader.Load(IniFile.Load(_host.Config));
        var services = new UpdateServices(_backend, ProcessRunner.Instance, _log, _clock, () => 0.5, _stop);
        var workflow = new UpdateWorkflow(options, services, new UpdateRequest(false, false), ProcessEnvironment.FromCurrentProcess(),
            UpdateScripts.NameFilter(ProcessEnvironment.FromPairs([])), [_host.Dir["bin/fake-reboot"], "--now"]);
        return Task.Run(() => workflow.RunAsync(new UpdateState(step, LockName: UpdateHost.LockName, HolderId: UpdateHost.Holder), CancellationToken.None));
    }

    [Fact]
    public async Task The_reboot_waits_holding_the_lock_until_the_window_opens()
    {
        var run = Start(UpdateStep.Reboot);
        Eventually.WaitFor(() => _clock.PendingTimers > 0 || run.IsCompleted, "the run to wait for the window");

        run.IsCompleted.ShouldBeFalse();
        _clock.RequestedDelays.ShouldBe([TimeSpan.FromHours(1)]);
        _host.Ran.ShouldBeEmpty();
        _backend.Calls.ShouldBe(["acquire fleet test-host"]);

        _clock.Advance(TimeSpan.FromMinutes(59), run);
        run.IsCompleted.ShouldBeFalse();
        _clock.Advance(TimeSpan.FromMinutes(1), run);

        (await run).ShouldBe(UpdateExitCodes.AwaitingReboot);
        _host.Ran.ShouldHaveSingleItem().ShouldStartWith("reboot --now");
        _backend.Calls.ShouldBe(["acquire fleet test-host"]);
        _host.State.ShouldNotBeNull().ShouldContain("\"requested_at\": \"2025-03-14T10:00:00");
    }

    [Fact]
    public async Task Inside_the_window_the_reboot_does_not_wait()
    {
        _clock.Advance(TimeSpan.FromMinutes(90));

        (await Start(UpdateStep.Reboot)).ShouldBe(UpdateExitCodes.AwaitingReboot);

        _clock.RequestedDelays.ShouldBeEmpty();
        _host.Ran.ShouldHaveSingleItem();
    }
}
