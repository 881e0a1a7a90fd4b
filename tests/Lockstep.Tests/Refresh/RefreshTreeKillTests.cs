using Lockstep.Tests.Support;
using static Lockstep.Tests.Parts.RunPartsProcessTreeTests;

namespace Lockstep.Tests.Refresh;

/// <summary>The run's --timeout kills every process the run started, also those that left their process group.</summary>
public sealed class RefreshTreeKillTests : IDisposable
{
    private readonly RefreshHost _host = new();
    private readonly StrayProcesses _strays = new();

    public void Dispose()
    {
        _strays.Dispose();
        _host.Dispose();
    }

    [Fact]
    public void The_run_timeout_kills_what_left_the_group_through_timeout_or_setsid_attached_or_orphaned()
    {
        string pids = _host.Temp["pids"];
        _host.Script("configure", "10-spawn",
            $"timeout 300 sh -c 'echo $$ >> \"$0\"; exec sleep 300' '{pids}' {Detached} &\n" +
            $"echo $! >> '{pids}'\n" +
            $"{SetsidSleep(pids, 300)} &\n" +
            $"({SetsidSleep(pids, 300)} &)\n" +
            $"(timeout 300 sh -c 'echo $$ >> \"$0\"; exec sleep 300' '{pids}' {Detached} &)\n" +
            $"until [ $(wc -l < '{pids}') -ge 5 ]; do sleep 0.01; done\n" +
            "wait");
        _host.Script("post-configure", "10-never", "echo post-configure ran");
        _host.Temp.Script("base/error.d/10-report", "echo \"error.d: $LOCKSTEP_FAILED_PHASE $LOCKSTEP_FAILED_STATUS\"");

        var result = _host.Run("--timeout", "2", "--kill-grace", "1");
        _strays.Collect(pids);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stdout.ShouldBe("error.d: configure 124\n");
        result.Stderr.ShouldContain("its processes were killed");
        _strays.Pids(pids).Count.ShouldBe(5);
        _strays.StillRunning(pids).ShouldBeEmpty("a process of the timed-out script outlived lockstep");
    }

    [Fact]
    public void The_run_timeout_also_ends_a_daemon_an_earlier_phase_left()
    {
        string daemon = _host.Temp["daemon"];
        _host.Script("pre-configure", "10-daemon", $"({SetsidSleep(daemon, 300)} &)\n{AwaitFile(daemon)}");
        _host.Script("configure", "10-hang", "sleep 300");

        var result = _host.Run("--timeout", "2", "--kill-grace", "1");
        _strays.Collect(daemon);

        result.ExitCode.ShouldBe(1, result.ToString());
        _strays.Pids(daemon).ShouldHaveSingleItem();
        _strays.StillRunning(daemon).ShouldBeEmpty("the run's deadline spared a process the run started");
    }
}
