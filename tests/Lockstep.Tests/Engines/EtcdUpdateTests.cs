using Lockstep.Locks.Etcd;
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

    [Fact]
    public async Task A_semaphore_value_that_is_not_json_stops_the_run_keeping_the_state_and_the_next_run_continues_once_fixed()
    {
        string key = EtcdKeys.Semaphore(LockName);
        await EtcdRaw.PutAsync(fixture.Cluster.Endpoints[0], key, "{not json");

        var broken = RunUpdate();

        broken.ExitCode.ShouldBe(4, broken.ToString());
        broken.Stderr.ShouldContain($"etcd key {key} in etcd at ");
        broken.Stderr.ShouldContain("holds '{not json', which is not a semaphore");
        broken.Stderr.ShouldContain("the state is kept (lock_get)");
        HostState.ShouldNotBeNull().ShouldContain("\"step\": \"lock_get\"");
        (await EtcdRaw.GetAsync(fixture.Cluster.Endpoints[0], key)).ShouldBe("{not json");

        await EtcdRaw.PutAsync(fixture.Cluster.Endpoints[0], key, """{"total_slots":1,"holders":[]}""");
        var fixedRun = RunUpdate();

        fixedRun.ExitCode.ShouldBe(0, fixedRun.ToString());
        HostRan.ShouldBe([Line("needs_update free"), Line("pre_update locked"), Line("update locked"), Line("needs_reboot locked"), Line("post_update locked")]);
        (await EtcdRaw.GetAsync(fixture.Cluster.Endpoints[0], key)).ShouldBe("""{"total_slots":1,"holders":[]}""");
    }

    protected override Task CutOffAsync()
    {
        int[] ports = ClosedPorts.Take(2);
        PointHostAt(Reachable with { Section = $"[etcd]\nendpoints = http://127.0.0.1:{ports[0]},http://127.0.0.1:{ports[1]}" });
        return Task.CompletedTask;
    }
}
