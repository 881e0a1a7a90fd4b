using Lockstep.Tests.Support;
using Lockstep.Tests.Support.Servers;
using Lockstep.Tests.Update;

namespace Lockstep.Tests.Engines;

/// <summary>
/// The update workflow on a FleetLock server; cut off by a URL where nothing listens. FleetLock
/// cannot list holders, so the scripts and the test read them from the server's holders file.
/// </summary>
public sealed class FleetLockUpdateTests : EngineUpdateScenarios
{
    private readonly TempDir _dir = new();
    private FleetLockTestServer? _server;

    private FleetLockTestServer Server => _server ?? throw new InvalidOperationException("the FleetLock server is not started");

    private string HoldersFile => _dir["holders"];

    protected override HostBackend Reachable =>
        new("backend = fleetlock", $"[fleetlock]\nurl = {Server.Url}", $"grep -qx '{LockName} {UpdateHost.Holder}' '{HoldersFile}' 2>/dev/null");

    public override async Task InitializeAsync()
    {
        _server = await FleetLockTestServer.StartAsync(new Dictionary<string, int> { [LockName] = 1 });
        _server.HoldersFile = HoldersFile;
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _dir.Dispose();
    }

    [Fact]
    public void A_lock_name_fleetlock_forbids_stops_the_update_with_exit_3_before_any_script_or_request()
    {
        using var host = new UpdateHost(backend: Reachable, lockName: "os updates");

        var result = host.Update();

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Stderr.ShouldContain($"{host.Config}:4: [main] lock_name = 'os updates' is not a FleetLock group name");
        host.Ran.ShouldBeEmpty();
        host.State.ShouldBeNull();
        Server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task While_waiting_the_log_shows_the_servers_own_reason_never_a_guessed_holder()
    {
        await using var other = Backend("other");
        await other.AcquireAsync(LockName, "other", default);
        using var host = new UpdateHost(backend: Reachable, lockName: LockName);
        using var run = host.Start();
        string waiting = $"lock '{LockName}' (FleetLock server {Server.Url}/) gave no slot (the server says failed_lock: all 1 semaphore slots currently locked); trying again every 0.2 s";
        Eventually.WaitFor(() => File.Exists(host.LogFile) && File.ReadAllText(host.LogFile).Contains(waiting, StringComparison.Ordinal), "lockstep to wait");

        await other.ReleaseAsync(LockName, "other", default);
        run.WaitForExit(TimeSpan.FromSeconds(30)).ShouldBeTrue();

        run.ExitCode.ShouldBe(0);
        string log = File.ReadAllText(host.LogFile);
        log.ShouldNotContain("another host");
        log.Split('\n').Count(l => l.Contains(" INFO: " + waiting, StringComparison.Ordinal)).ShouldBe(1);
    }

    [Theory]
    [InlineData(Unanswered.Close)]
    [InlineData(Unanswered.Hang)]
    public async Task An_acquire_the_server_carried_out_unanswered_stops_with_4_saying_so_and_the_next_run_finishes_and_gives_it_back(Unanswered mode)
    {
        await using var proxy = await UnansweringProxy.StartAsync(Server.Url, "/v1/pre-reboot", mode);
        using var host = new UpdateHost(extraMain: "http_timeout = 2", backend: Reachable with { Section = $"[fleetlock]\nurl = {proxy.Url}" }, lockName: LockName);

        var first = host.Update();

        first.ExitCode.ShouldBe(4, first.ToString());
        first.Stderr.ShouldContain(
            $"the slot may now be held by this host: the state is kept (lock_get) and the next run takes it up and gives it back when the update is done, or give it back with 'lockstep lock release --config {host.Config}'");
        proxy.WaitUntilSwallowed();
        Server.Holders(LockName).ShouldBe([UpdateHost.Holder]);
        host.Ran.ShouldBe([$"needs_update free {LockName}"]);
        host.WriteConfig(Reachable);

        var second = host.Update();

        second.ExitCode.ShouldBe(0, second.ToString());
        Server.Holders(LockName).ShouldBeEmpty();
        host.Ran.ShouldContain(r => r.StartsWith("post_update locked", StringComparison.Ordinal));
    }

    [Fact]
    public void A_server_that_refuses_the_connection_stops_the_update_without_claiming_a_slot()
    {
        using var host = new UpdateHost(backend: Reachable with { Section = $"[fleetlock]\nurl = http://127.0.0.1:{ClosedPorts.Take(1)[0]}" }, lockName: LockName);

        var result = host.Update();

        result.ExitCode.ShouldBe(4, result.ToString());
        result.Stderr.ShouldContain("cannot be reached");
        result.Stderr.ShouldNotContain("may now be held");
    }

    [Theory]
    [InlineData("conflict on semaphore detected")]
    [InlineData("failed to parse semaphore value: unexpected end of JSON input")]
    public void While_waiting_a_failed_lock_for_another_reason_is_shown_as_the_server_gives_it(string reason)
    {
        Server.Override = (500, $$"""{"kind":"failed_lock","value":"{{reason}}"}""");
        using var host = new UpdateHost(backend: Reachable, lockName: LockName);
        using var run = host.Start();
        string waiting = $"lock '{LockName}' (FleetLock server {Server.Url}/) gave no slot (the server says failed_lock: {reason}); trying again every 0.2 s";
        Eventually.WaitFor(() => File.Exists(host.LogFile) && File.ReadAllText(host.LogFile).Contains(waiting, StringComparison.Ordinal), "lockstep to wait");

        Server.Override = null;
        run.WaitForExit(TimeSpan.FromSeconds(30)).ShouldBeTrue();

        run.ExitCode.ShouldBe(0);
        string log = File.ReadAllText(host.LogFile);
        log.ShouldNotContain("another host");
        log.Split('\n').Count(l => l.Contains(" INFO: " + waiting, StringComparison.Ordinal)).ShouldBe(1);
    }

    protected override Task<IReadOnlyList<string>> HoldersAsync() => Task.FromResult(Server.Holders(LockName));

    protected override Task CutOffAsync()
    {
        PointHostAt(Reachable with { Section = $"[fleetlock]\nurl = http://127.0.0.1:{ClosedPorts.Take(1)[0]}" });
        return Task.CompletedTask;
    }
}
