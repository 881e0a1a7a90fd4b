using Lockstep.Tests.Support;
using Lockstep.Tests.Support.Servers;

namespace Lockstep.Tests.Serve;

/// <summary>A store that does not answer: the server still starts, says it is not ready, and answers lock calls with failed_sem_init.</summary>
public sealed class ServeStoreDownTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private readonly int _deadPort = ClosedPorts.Take(1)[0];
    private ServeProcess? _server;

    private ServeProcess Server => _server!;

    public async Task InitializeAsync() =>
        _server = await ServeProcess.StartAsync(_dir.Path, $"backend = etcd\nrequest_timeout = 2\n[group workers]\nslots = 2\n[etcd]\nendpoints = http://127.0.0.1:{_deadPort}\n");

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public void Lock_calls_get_failed_sem_init_without_the_stores_address_and_the_log_says_why()
    {
        var take = Curl.FleetLock(Server.Url, "pre-reboot", "node-a", "workers");
        var free = Curl.FleetLock(Server.Url, "steady-state", "node-a", "workers");

        foreach (var answer in new[] { take, free })
        {
            answer.Status.ShouldBe(500, answer.ToString());
            var (kind, value) = ServeProtocolTests.Kind(answer);
            kind.ShouldBe("failed_sem_init");
            value.ShouldBe("the lock store failed for group \"workers\"; try again later (the server's log says why)");
            answer.Body.ShouldNotContain(_deadPort.ToString());
        }

        var errors = Server.Log.Split('\n').Where(l => l.Contains(" serve ERROR: ", StringComparison.Ordinal)).ToList();
        errors.Count.ShouldBe(2, Server.Log);
        errors.ShouldAllBe(l => l.Contains($"no etcd endpoint answered (http://127.0.0.1:{_deadPort}/"));
        // The scrape reads the group from the store too, and fails a third time; the group's gauges are left out.
        var metrics = Curl.Run($"{Server.Url}/metrics").Body;
        metrics.ShouldContain("lockstep_serve_store_errors_total 3\n");
        metrics.ShouldContain("lockstep_serve_requests_total{endpoint=\"pre-reboot\",result=\"failed_sem_init\"} 1\n");
        metrics.ShouldNotContain("lockstep_serve_group_holders{");
    }

    [Fact]
    public void Ready_is_503_naming_the_groups_while_healthy_stays_200()
    {
        Curl.Run($"{Server.Url}/-/ready").ShouldBe(new CurlAnswer(503, "not ready: the lock store did not answer for group(s) workers (the server's log says why)\n", ""));
        Curl.Run($"{Server.Url}/-/healthy").Status.ShouldBe(200);
    }
}
