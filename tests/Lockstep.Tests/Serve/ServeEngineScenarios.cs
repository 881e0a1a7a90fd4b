using Lockstep.Locks;
using Lockstep.Tests.Support;
using Xunit.Abstractions;

namespace Lockstep.Tests.Serve;

/// <summary>
/// <c>lockstep serve</c> on a real engine (etcd, PostgreSQL): zincati-like clients (curl) and
/// Lockstep hosts share one semaphore, a killed server loses no holder, and 32 concurrent clients
/// through two servers never hold more than the slots while the engine fails.
/// </summary>
public abstract class ServeEngineScenarios(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private readonly List<ServeProcess> _servers = [];

    protected string Group { get; } = LockContexts.UniqueLockName("serve");

    /// <summary>The backend's name, also its section's name.</summary>
    protected abstract string Backend { get; }

    /// <summary>The keys of the backend's section that reach the running engine (without slots).</summary>
    protected abstract string Reachable { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        _dir.Dispose();
    }

    /// <summary>Kills and restarts part of the engine while clients run.</summary>
    protected abstract Task DisturbAsync();

    /// <summary>The group's holders as the engine has them, read by Lockstep's own backend (the "Lockstep host" side).</summary>
    protected async Task<IReadOnlyList<string>> HoldersAsync()
    {
        var state = await HostBackend().InspectAsync(Group, "observer", default);
        return state.Holders.Select(h => h.Id).ToList();
    }

    /// <summary>A Lockstep host's backend on the engine: update.ini's [main] and the backend's section.</summary>
    protected ILockBackend HostBackend() =>
        LockContexts.Backend($"[main]\nbackend = {Backend}\n[{Backend}]\n{Reachable}\nslots = 2\n", timeoutSeconds: 5);

    [Fact]
    public async Task Zincati_clients_take_and_free_slots_of_a_two_slot_group_in_the_engine()
    {
        var server = await StartServerAsync();

        Curl.FleetLock(server.Url, "pre-reboot", "node-a", Group).Status.ShouldBe(200);
        Curl.FleetLock(server.Url, "pre-reboot", "node-a", Group).Status.ShouldBe(200);
        Curl.FleetLock(server.Url, "pre-reboot", "node-b", Group).Status.ShouldBe(200);
        var full = Curl.FleetLock(server.Url, "pre-reboot", "node-c", Group);
        full.Status.ShouldBe(500, full.ToString());
        ServeProtocolTests.Kind(full).ShouldBe(("failed_lock", $"all 2 slot(s) of group \"{Group}\" are held; try again later"));
        (await HoldersAsync()).ShouldBe(["node-a", "node-b"]);

        Curl.FleetLock(server.Url, "steady-state", "node-a", Group).Status.ShouldBe(200);
        Curl.FleetLock(server.Url, "steady-state", "node-a", Group).Status.ShouldBe(200);
        Curl.FleetLock(server.Url, "pre-reboot", "node-c", Group).Status.ShouldBe(200);
        (await HoldersAsync()).ShouldBe(["node-b", "node-c"]);
        Curl.Run($"{server.Url}/-/ready").ShouldBe(new CurlAnswer(200, "ready\n", ""));
        var metrics = Curl.Run($"{server.Url}/metrics");
        metrics.Body.ShouldContain($"lockstep_serve_group_holders{{group=\"{Group}\"}} 2\n");
        metrics.Body.ShouldContain($"lockstep_serve_group_store_slots{{group=\"{Group}\"}} 2\n");
        metrics.Body.ShouldContain("lockstep_serve_requests_total{endpoint=\"pre-reboot\",result=\"failed_lock\"} 1\n");
        metrics.Body.ShouldContain("lockstep_serve_requests_total{endpoint=\"pre-reboot\",result=\"ok\"} 4\n");
        metrics.Body.ShouldContain("lockstep_serve_requests_total{endpoint=\"steady-state\",result=\"ok\"} 2\n");
    }

    [Fact]
    public async Task A_lockstep_host_on_the_engine_and_clients_of_the_server_share_one_group()
    {
        var server = await StartServerAsync();
        string host = HostConfig("db-1", $"backend = {Backend}\n[{Backend}]\n{Reachable}\nslots = 2\n");
        string viaServer = HostConfig("db-2", $"backend = fleetlock\n[fleetlock]\nurl = {server.Url}\n");

        LockstepCli.Run("lock", "acquire", "--config", host).ExitCode.ShouldBe(0);
        Curl.FleetLock(server.Url, "pre-reboot", "node-a", Group).Status.ShouldBe(200);
        var refused = LockstepCli.Run("lock", "acquire", "--config", viaServer);
        refused.ExitCode.ShouldBe(1, refused.ToString());
        refused.Stderr.ShouldContain($"gave no slot of group '{Group}' (HTTP 500 failed_lock: all 2 slot(s)");
        var status = LockstepCli.Run("lock", "status", "--config", host);
        status.Stdout.ShouldContain("holders: db-1 (this host), node-a\n", Case.Sensitive, status.ToString());

        LockstepCli.Run("lock", "release", "--config", host).ExitCode.ShouldBe(0);
        LockstepCli.Run("lock", "acquire", "--config", viaServer).ExitCode.ShouldBe(0);
        Curl.FleetLock(server.Url, "pre-reboot", "node-b", Group).Status.ShouldBe(500);
        (await HoldersAsync()).ShouldBe(["db-2", "node-a"]);
        LockstepCli.Run("lock", "release", "--config", viaServer).ExitCode.ShouldBe(0);
        (await HoldersAsync()).ShouldBe(["node-a"]);
    }

    [Fact]
    public async Task A_server_killed_and_started_again_loses_no_holder()
    {
        var server = await StartServerAsync();
        Curl.FleetLock(server.Url, "pre-reboot", "node-a", Group).Status.ShouldBe(200);
        Curl.FleetLock(server.Url, "pre-reboot", "node-b", Group).Status.ShouldBe(200);

        await server.KillAsync();
        await server.StartAgainAsync();

        Curl.FleetLock(server.Url, "pre-reboot", "node-c", Group).Status.ShouldBe(500);
        Curl.FleetLock(server.Url, "pre-reboot", "node-b", Group).Status.ShouldBe(200);
        Curl.FleetLock(server.Url, "steady-state", "node-a", Group).Status.ShouldBe(200);
        Curl.FleetLock(server.Url, "pre-reboot", "node-c", Group).Status.ShouldBe(200);
        (await HoldersAsync()).ShouldBe(["node-b", "node-c"]);
    }

    [Fact]
    public async Task Thirty_two_clients_through_two_servers_never_hold_more_than_two_slots_while_the_engine_fails()
    {
        var first = await StartServerAsync();
        var second = await StartServerAsync();
        var observer = HostBackend();
        var clients = new List<ILockBackend>();
        ILockBackend BackendFor(int client)
        {
            // Lockstep's own FleetLock client takes and frees slots through a server, as zincati would;
            // the engine itself is asked who holds them (FleetLock cannot list holders).
            var server = client % 2 == 0 ? first : second;
            var fleetLock = LockContexts.Backend($"[main]\nbackend = fleetlock\n[fleetlock]\nurl = {server.Url}\n", timeoutSeconds: 10);
            lock (clients)
            {
                clients.Add(fleetLock);
            }

            return new ThroughServer(fleetLock, observer);
        }

        try
        {
            var report = await Contention.RunAsync(BackendFor, clients: 32, Group, TimeSpan.FromSeconds(12), DisturbAsync);
            output.WriteLine(report.ToString());
            report.ShouldBeSafe(slots: 2);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }

            await observer.DisposeAsync();
        }
    }

    protected async Task<ServeProcess> StartServerAsync()
    {
        string directory = _dir.Dir($"server-{_servers.Count}");
        var server = await ServeProcess.StartAsync(directory, $"backend = {Backend}\nrequest_timeout = 5\n[group {Group}]\nslots = 2\n[group other]\nslots = 1\n[{Backend}]\n{Reachable}\n");
        _servers.Add(server);
        return server;
    }

    private string HostConfig(string holder, string backendKeys) =>
        _dir.File($"{holder}.ini", $"[main]\nlock_name = {Group}\nholder_id = {holder}\nhttp_timeout = 5\n{backendKeys}");

    /// <summary>Takes and frees slots through the server; tells who holds them from the engine.</summary>
    private sealed class ThroughServer(ILockBackend fleetLock, ILockBackend engine) : ILockBackend
    {
        public string Describe => fleetLock.Describe;

        public Task AcquireAsync(string lockName, string holderId, CancellationToken cancellationToken) => fleetLock.AcquireAsync(lockName, holderId, cancellationToken);

        public Task ReleaseAsync(string lockName, string holderId, CancellationToken cancellationToken) => fleetLock.ReleaseAsync(lockName, holderId, cancellationToken);

        public Task<LockState> InspectAsync(string lockName, string holderId, CancellationToken cancellationToken) => engine.InspectAsync(lockName, holderId, cancellationToken);

        // The test owns both backends and disposes of them itself.
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

[Collection(EtcdClusterCollection.Name)]
public sealed class EtcdServeTests(EtcdClusterFixture fixture, ITestOutputHelper output) : ServeEngineScenarios(output)
{
    protected override string Backend => "etcd";

    protected override string Reachable => $"endpoints = {fixture.Cluster.EndpointsSetting}";

    protected override async Task DisturbAsync()
    {
        await Task.Delay(TimeSpan.FromSeconds(3));
        await fixture.Cluster.StopMemberAsync(0);
        await Task.Delay(TimeSpan.FromSeconds(4));
        await fixture.Cluster.StartMemberAsync(0);
    }

    [Fact]
    public async Task The_semaphore_is_stored_in_airlocks_key_and_format()
    {
        var server = await StartServerAsync();

        Curl.FleetLock(server.Url, "pre-reboot", "node-b", Group).Status.ShouldBe(200);
        Curl.FleetLock(server.Url, "pre-reboot", "node-a", Group).Status.ShouldBe(200);

        (await EtcdRaw.GetAsync(fixture.Cluster.Endpoints[1], $"com.coreos.airlock/groups/{Group}/v1/semaphore"))
            .ShouldBe("""{"total_slots":2,"holders":["node-a","node-b"]}""");
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresServeTests(PostgresFixture fixture, ITestOutputHelper output) : ServeEngineScenarios(output)
{
    protected override string Backend => "postgres";

    protected override string Reachable => $"connection = {fixture.Server.ConnectionString()}";

    protected override async Task DisturbAsync()
    {
        await Task.Delay(TimeSpan.FromSeconds(4));
        await fixture.Server.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        await fixture.Server.StartProcessAsync();
    }
}
