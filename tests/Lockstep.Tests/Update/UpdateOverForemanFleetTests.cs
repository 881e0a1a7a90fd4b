using Lockstep.Tests.Support.ForemanDlm;

namespace Lockstep.Tests.Update;

/// <summary>Two hosts of a fleet updating under one Foreman DLM lock: the second waits until the first has finished.</summary>
public sealed class UpdateOverForemanFleetTests
{
    private static readonly Dictionary<string, string?> Gated = new() { ["GATE"] = "1" };

    [Fact]
    public void Two_hosts_sharing_a_lock_update_one_after_the_other()
    {
        using var server = ForemanDlmServer.Start();
        using var first = new ForemanUpdateHost(server: server);
        using var second = new ForemanUpdateHost(server: server, hostName: ForemanUpdateHost.Other);
        using var firstRun = first.Start(Gated);
        Pass(first, firstRun, "needs_update");
        first.ReachedGate(firstRun, "pre_update").ShouldBeTrue();

        using var secondRun = second.Start(Gated);
        Pass(second, secondRun, "needs_update");
        second.WaitForLog($"is held by {ForemanUpdateHost.Host}");
        File.Exists(second.Dir["at.pre_update"]).ShouldBeFalse();

        first.OpenGate("pre_update");
        foreach (string step in new[] { "update", "needs_reboot", "post_update" })
        {
            Pass(first, firstRun, step);
        }

        var firstResult = firstRun.Finish();
        firstResult.ExitCode.ShouldBe(0, firstResult.ToString());

        second.ReachedGate(secondRun, "pre_update").ShouldBeTrue();
        server.HolderOf(ForemanUpdateHost.LockName).ShouldBe(ForemanUpdateHost.Other);
        second.OpenGate("pre_update");
        foreach (string step in new[] { "update", "needs_reboot", "post_update" })
        {
            Pass(second, secondRun, step);
        }

        var secondResult = secondRun.Finish();
        secondResult.ExitCode.ShouldBe(0, secondResult.ToString());
        secondResult.Stderr.ShouldContain("acquired after waiting");
        server.HolderOf(ForemanUpdateHost.LockName).ShouldBeNull();
        second.Steps.ShouldBe(["needs_update", "pre_update", "update", "needs_reboot", "post_update"]);
        var requests = server.Requests;
        int firstReleased = requests.ToList().FindIndex(r => r.Method == "DELETE" && r.Host == ForemanUpdateHost.Host);
        int secondTook = requests.ToList().FindLastIndex(r => r.Method == "PUT" && r.Host == ForemanUpdateHost.Other);
        firstReleased.ShouldBeGreaterThanOrEqualTo(0);
        firstReleased.ShouldBeLessThan(secondTook);
    }

    private static void Pass(ForemanUpdateHost host, RunningUpdate run, string step)
    {
        host.ReachedGate(run, step).ShouldBeTrue(step);
        host.OpenGate(step);
    }
}
