using Lockstep.Tests.Support;
using Lockstep.Tests.Support.Servers;

namespace Lockstep.Tests.Engines;

[Collection(EtcdClusterCollection.Name)]
public sealed class EtcdLockCommandTests(EtcdClusterFixture fixture) : SemaphoreLockCommandScenarios
{
    private readonly int[] _closedPorts = FreePorts.Take(2);

    protected override string Backend => "etcd";

    protected override string Reachable => $"endpoints = {fixture.Cluster.EndpointsSetting}";

    protected override string Unreachable => $"endpoints = http://127.0.0.1:{_closedPorts[0]},http://127.0.0.1:{_closedPorts[1]}";

    protected override string Server => $"etcd at {string.Join(",", fixture.Cluster.Endpoints.Select(e => e + "/"))}";

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
