using Lockstep.Tests.Support;
using Lockstep.Tests.Support.Servers;
using Lockstep.Tests.Update;

namespace Lockstep.Tests.Engines;

/// <summary>The update workflow on the three-member etcd cluster; cut off by endpoints where nothing listens.</summary>
[Collection(EtcdClusterCollection.Name)]
public sealed class EtcdUpdateTests(EtcdClusterFixture fixture) : EngineUpdateScenarios
{
    protected override HostBackend Reachable =>
        new("backend = etcd", $"[etcd]\nendpoints = {fixture.Cluster.EndpointsSetting}", HostBackend.StatusProbe);

    protected override Task CutOffAsync()
    {
        int[] ports = FreePorts.Take(2);
        PointHostAt(Reachable with { Section = $"[etcd]\nendpoints = http://127.0.0.1:{ports[0]},http://127.0.0.1:{ports[1]}" });
        return Task.CompletedTask;
    }
}
