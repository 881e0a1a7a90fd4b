using Lockstep.Tests.Support;
using Lockstep.Tests.Support.Servers;

namespace Lockstep.Tests.Engines;

[Collection(EtcdClusterCollection.Name)]
public sealed class EtcdLockCommandTests(EtcdClusterFixture fixture) : SemaphoreLockCommandScenarios
{
    private readonly int[] _closedPorts = ClosedPorts.Take(2);

    protected override string Backend => "etcd";

    protected override string Reachable => $"endpoints = {fixture.Cluster.EndpointsSetting}";

    protected override string Unreachable => $"endpoints = http://127.0.0.1:{_closedPorts[0]},http://127.0.0.1:{_closedPorts[1]}";

    protected override string Server => $"etcd at {string.Join(",", fixture.Cluster.Endpoints.Select(e => e + "/"))}";

    [Theory]
    [InlineData(Unanswered.Hang, "no answer within 2 s after the request was sent")]
    [InlineData(Unanswered.Close, "the connection closed after the request was sent (")]
    public async Task An_acquire_etcd_carried_out_but_never_answered_says_the_slot_may_be_held_and_how_to_give_it_back(Unanswered mode, string why)
    {
        await using var proxy = await UnansweringProxy.StartAsync(new Uri(fixture.Cluster.Endpoints[0]), "/v3/kv/txn", mode);
        string through = Config("web-a", $"endpoints = {proxy.Url}");

        var result = Lock("acquire", through);

        result.ExitCode.ShouldBe(3, result.ToString());
        string line = Locks.LockCommandTests.OneErrorLine(result);
        line.ShouldContain($"no etcd endpoint answered ({proxy.Url}: {why}");
        line.ShouldEndWith($"the slot may now be held by this host: 'lockstep lock acquire' again makes sure of it, or give it back with 'lockstep lock release --config {through}'");
        proxy.WaitUntilSwallowed();
        proxy.Swallowed.ShouldBe(1);
        string direct = Config("web-a");
        Lock("status", direct).Stdout.ShouldContain("holders: web-a (this host)\n");
        Lock("release", direct).Stdout.ShouldStartWith("released lock");
    }

    [Fact]
    public async Task A_read_or_a_release_left_unanswered_claims_no_slot()
    {
        await using var reads = await UnansweringProxy.StartAsync(new Uri(fixture.Cluster.Endpoints[1]), "/v3/kv/range", Unanswered.Close);
        await using var writes = await UnansweringProxy.StartAsync(new Uri(fixture.Cluster.Endpoints[2]), "/v3/kv/txn", Unanswered.Close);
        Lock("acquire", Config("web-a")).ExitCode.ShouldBe(0);

        var read = Lock("acquire", Config("web-b", $"endpoints = {reads.Url}"));
        var release = Lock("release", Config("web-a", $"endpoints = {writes.Url}"));

        foreach (var result in new[] { read, release })
        {
            result.ExitCode.ShouldBe(3, result.ToString());
            result.Stderr.ShouldContain("after the request was sent");
            result.Stderr.ShouldNotContain("may now be held");
        }
    }

    [Fact]
    public void Https_endpoints_naming_plain_http_members_say_they_do_not_speak_tls_for_the_lock_and_the_fleet_view()
    {
        var https = fixture.Cluster.Endpoints.Select(e => "https" + e["http".Length..]).ToList();
        string config = Config("web-a", $"endpoints = {string.Join(",", https)}");

        var results = new[] { Lock("status", config), Lock("acquire", config), LockstepCli.Run("fleet", "status", "--config", config) };

        foreach (var result in results)
        {
            result.ExitCode.ShouldBe(3, result.ToString());
            string line = Locks.LockCommandTests.OneErrorLine(result);
            foreach (string endpoint in https)
            {
                line.ShouldContain($"{endpoint}/: the server closed the connection at the TLS handshake: it does not speak TLS (is it http://?)", customMessage: line);
            }
        }
    }

    [Fact]
    public void Unreachable_endpoints_are_each_named_with_what_to_check()
    {
        var result = Lock("status", Config("web-a", Unreachable));

        result.ExitCode.ShouldBe(3, result.ToString());
        string line = Locks.LockCommandTests.OneErrorLine(result);
        line.ShouldContain($"no etcd endpoint answered (http://127.0.0.1:{_closedPorts[0]}/: ");
        line.ShouldContain($"; http://127.0.0.1:{_closedPorts[1]}/: ");
        line.ShouldEndWith("check [etcd] endpoints and that the cluster is up");
    }
}
