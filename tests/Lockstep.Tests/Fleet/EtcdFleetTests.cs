using Lockstep.Fleet;
using Lockstep.Locks.Etcd;
using Lockstep.Tests.Support;
using Lockstep.Tests.Support.Servers;
using Lockstep.Tests.Update;

namespace Lockstep.Tests.Fleet;

/// <summary>The fleet view on the three-member etcd cluster: reports under lockstep/, the slot count in airlock's key.</summary>
[Collection(EtcdClusterCollection.Name)]
public sealed class EtcdFleetTests(EtcdClusterFixture fixture) : FleetScenarios
{
    protected override HostBackend Engine => new("backend = etcd", $"[etcd]\nendpoints = {fixture.Cluster.EndpointsSetting}", HostBackend.StatusProbe);

    [Fact]
    public async Task Reports_live_under_the_lockstep_prefix_and_lock_slots_changes_airlocks_semaphore_by_compare_and_swap()
    {
        var web1 = NewHost("web-1");
        web1.Update(new() { ["NO_UPDATES"] = "1" }).ExitCode.ShouldBe(0);
        string report = (await EtcdRaw.GetAsync(fixture.Cluster.Endpoints[1], $"lockstep/fleet/{LockName}/hosts/web-1")).ShouldNotBeNull();
        report.ShouldContain("\"outcome\":\"nothing_to_do\"");

        var widened = Lock(web1, "slots", "3");

        widened.ExitCode.ShouldBe(0, widened.ToString());
        widened.Stdout.ShouldContain("slots 1 -> 3");
        (await EtcdRaw.GetAsync(fixture.Cluster.Endpoints[2], EtcdKeys.Semaphore(LockName))).ShouldBe("""{"total_slots":3,"holders":[]}""");
        Fleet(web1, "status").Stdout.ShouldContain("slots: 3");
        foreach (string bad in new[] { "0", "-2", "two" })
        {
            var refused = Lock(web1, "slots", bad);
            refused.ExitCode.ShouldBe(2, refused.ToString());
            refused.Stderr.Trim().Split('\n').Length.ShouldBe(1);
            refused.Stderr.ShouldContain("1 or more");
        }

        (await EtcdRaw.GetAsync(fixture.Cluster.Endpoints[0], EtcdKeys.Semaphore(LockName))).ShouldBe("""{"total_slots":3,"holders":[]}""");
    }

    [Fact]
    public void A_store_nobody_answers_is_one_line_and_exit_3_for_status()
    {
        var web1 = NewHost("web-1");
        int[] ports = ClosedPorts.Take(1);
        File.AppendAllText(web1.Config, $"store = etcd\n");
        File.WriteAllText(web1.Config, File.ReadAllText(web1.Config).Replace(fixture.Cluster.EndpointsSetting, $"http://127.0.0.1:{ports[0]}", StringComparison.Ordinal));

        var status = Fleet(web1, "status");

        status.ExitCode.ShouldBe(FleetExitStatus.Unreachable, status.ToString());
        status.Stderr.Trim().Split('\n').Length.ShouldBe(1);
        status.Stderr.ShouldContain("no etcd endpoint answered");
    }
}
