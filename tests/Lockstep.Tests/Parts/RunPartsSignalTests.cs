using System.Runtime.InteropServices;
using Lockstep.Processes;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.Parts;

/// <summary>Signals sent to lockstep reach the script's whole group; timeouts kill grandchildren too.</summary>
public sealed partial class RunPartsSignalTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);

    [Theory]
    [InlineData(15, 143)]
    [InlineData(2, 130)]
    public void A_signal_to_lockstep_is_forwarded_to_the_script_and_lockstep_exits_128_plus_it(int signal, int status)
    {
        string got = _temp["got"];
        string ready = _temp["ready"];
        string after = _temp["after"];
        _temp.Script("parts/10-wait", $"trap 'echo signal >> \"{got}\"; exit 7' TERM INT\necho ready > '{ready}'\nwhile :; do sleep 0.05; done");
        _temp.Script("parts/20-after", $"touch '{after}'");

        // As a terminal or systemd starts it; an INT ignored from the start stays ignored (the next test).
        using var lockstep = LockstepCli.Start(new CliOptions { SignalDisposition = "--default-signal=INT" }, "run-parts", _temp["parts"]);
        ProcessProbe.WaitForFile(ready, TimeSpan.FromSeconds(20));
        kill(lockstep.Id, signal).ShouldBe(0);
        lockstep.WaitForExit(20_000).ShouldBeTrue();

        lockstep.ExitCode.ShouldBe(status);
        File.ReadAllText(got).ShouldBe("signal\n");
        File.Exists(after).ShouldBeFalse();
        lockstep.StandardError.ReadToEnd().ShouldContain($"received signal {signal}");
    }

    [Fact]
    public void An_int_ignored_when_lockstep_started_stays_ignored_and_term_still_stops_it()
    {
        string got = _temp["got"];
        string ready = _temp["ready"];
        _temp.Script("parts/10-wait", $"trap 'echo signal >> \"{got}\"; exit 7' TERM INT\necho ready > '{ready}'\nwhile :; do sleep 0.05; done");

        using var lockstep = LockstepCli.Start(new CliOptions { SignalDisposition = "--ignore-signal=INT" }, "run-parts", _temp["parts"]);
        ProcessProbe.WaitForFile(ready, TimeSpan.FromSeconds(20));
        kill(lockstep.Id, LibC.SIGINT).ShouldBe(0); // an ignored signal is dropped when sent, so TERM comes after it
        kill(lockstep.Id, LibC.SIGTERM).ShouldBe(0);
        lockstep.WaitForExit(20_000).ShouldBeTrue();

        string stderr = lockstep.StandardError.ReadToEnd();
        lockstep.ExitCode.ShouldBe(128 + LibC.SIGTERM, stderr);
        stderr.ShouldContain("received signal 15");
        stderr.ShouldNotContain("received signal 2");
        File.ReadAllText(got).ShouldBe("signal\n");
    }

    [Fact]
    public void A_script_timeout_kills_the_script_and_its_grandchildren()
    {
        string pids = _temp["pids"];
        _temp.Script("parts/10-hang", $"sleep 300 &\necho \"$! $$\" > '{pids}'\nwait");
        _temp.Script("parts/20-never", "echo never");

        var result = LockstepCli.Run("run-parts", "--script-timeout", "1", _temp["parts"]);

        result.ExitCode.ShouldBe(124, result.ToString());
        result.Stdout.ShouldBeEmpty();
        result.Stderr.ShouldContain("10-hang was killed after its 1 s timeout (status 124)");
        foreach (int pid in File.ReadAllText(pids).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse))
        {
            ProcessProbe.WaitUntilGone(pid, TimeSpan.FromSeconds(5));
            ProcessProbe.IsAlive(pid).ShouldBeFalse($"pid {pid} of the timed-out script still runs");
        }
    }

    [Fact]
    public void A_grandchild_that_ignores_term_is_killed_after_the_grace()
    {
        string pids = _temp["pids"];
        _temp.Script("parts/10-stubborn", $"sh -c 'trap \"\" TERM; echo $$ > \"{pids}\"; while :; do sleep 0.05; done' &\nwait");

        var result = LockstepCli.Run("run-parts", "--script-timeout", "0.5", "--kill-grace", "0.5", _temp["parts"]);

        result.ExitCode.ShouldBe(124, result.ToString());
        int pid = int.Parse(File.ReadAllText(pids).Trim());
        ProcessProbe.WaitUntilGone(pid, TimeSpan.FromSeconds(5));
        ProcessProbe.IsAlive(pid).ShouldBeFalse();
    }

    [Fact]
    public void A_script_within_its_timeout_is_not_disturbed()
    {
        _temp.Script("parts/10-quick", "sleep 0.1; echo done");

        var result = LockstepCli.Run("run-parts", "--script-timeout", "30", _temp["parts"]);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldBe("done\n");
    }

    [Fact]
    public void A_signal_reaches_the_scripts_group_only_so_a_daemon_it_started_keeps_running()
    {
        string daemon = _temp["daemon"];
        string ready = _temp["ready"];
        _temp.Script("parts/10-serve",
            $"{RunPartsProcessTreeTests.SetsidSleep(daemon, 30)} &\n{RunPartsProcessTreeTests.AwaitFile(daemon)}\necho ready > '{ready}'\nwhile :; do sleep 0.05; done");
        using var strays = new StrayProcesses();

        using var lockstep = LockstepCli.Start(new CliOptions(), "run-parts", _temp["parts"]);
        ProcessProbe.WaitForFile(ready, TimeSpan.FromSeconds(20));
        strays.Collect(daemon);
        kill(lockstep.Id, 15).ShouldBe(0);
        lockstep.WaitForExit(20_000).ShouldBeTrue();

        lockstep.ExitCode.ShouldBe(143);
        strays.StillRunning(daemon).ShouldHaveSingleItem("the daemon was killed by a signal meant for lockstep");
    }
}
