using System.Globalization;
using Lockstep.Processes;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.Parts;

/// <summary>
/// What a timeout kills beyond the script's process group (what left it with setsid or timeout, and
/// orphans lockstep adopted), what it spares (a daemon an earlier script left on purpose), and that
/// adopted orphans are reaped.
/// </summary>
public sealed class RunPartsProcessTreeTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly StrayProcesses _strays = new();

    public void Dispose()
    {
        _strays.Dispose();
        _temp.Dispose();
    }

    /// <summary>
    /// Off lockstep's stdout and stderr, as a daemon is: a process that survives by mistake must fail
    /// the test, not hold the pipes the test reads to their end.
    /// </summary>
    internal const string Detached = "</dev/null >/dev/null 2>&1";

    /// <summary>A line of shell that starts <c>sleep</c> in a session of its own, detached, its pid appended to <paramref name="pidFile"/>.</summary>
    internal static string SetsidSleep(string pidFile, int seconds) =>
        $"setsid sh -c 'echo $$ >> \"$0\"; exec sleep {seconds}' '{pidFile}' {Detached}";

    /// <summary>Shell that waits until <paramref name="file"/> has content.</summary>
    internal static string AwaitFile(string file) => $"until [ -s '{file}' ]; do sleep 0.01; done";

    [Fact]
    public void A_script_timeout_kills_a_grandchild_that_left_the_group_with_setsid()
    {
        string pids = _temp["pids"];
        _temp.Script("parts/10-hang", $"{SetsidSleep(pids, 300)} &\n{AwaitFile(pids)}\nwait");

        var result = LockstepCli.Run("run-parts", "--script-timeout", "1", "--kill-grace", "1", _temp["parts"]);
        _strays.Collect(pids);

        result.ExitCode.ShouldBe(124, result.ToString());
        _strays.Pids(pids).ShouldHaveSingleItem();
        _strays.StillRunning(pids).ShouldBeEmpty("the setsid grandchild outlived the script's timeout");
    }

    [Fact]
    public void A_script_timeout_kills_the_orphans_the_script_left_but_not_a_daemon_an_earlier_script_left()
    {
        string daemon = _temp["daemon"];
        string orphans = _temp["orphans"];
        _temp.Script("parts/10-daemon", $"({SetsidSleep(daemon, 30)} &)\n{AwaitFile(daemon)}");
        // An orphan ignoring TERM, and one that keeps forking: the KILL rounds must find them all.
        _temp.Script("parts/20-hang",
            $"({SetsidSleep(orphans, 300)} &)\n" +
            $"(setsid sh -c 'trap \"\" TERM; echo $$ >> \"$0\"; while :; do sleep 1; done' '{orphans}' {Detached} &)\n" +
            $"(timeout 300 sh -c 'echo $$ >> \"$0\"; exec sleep 300' '{orphans}' {Detached} &)\n" +
            $"until [ $(wc -l < '{orphans}') -ge 3 ]; do sleep 0.01; done\nsleep 300");

        var result = LockstepCli.Run("run-parts", "--script-timeout", "1", "--kill-grace", "0.5", _temp["parts"]);
        _strays.Collect(orphans, daemon);

        result.ExitCode.ShouldBe(124, result.ToString());
        _strays.Pids(orphans).Count.ShouldBe(3);
        _strays.StillRunning(orphans).ShouldBeEmpty("an orphan of the timed-out script outlived lockstep");
        _strays.StillRunning(daemon).ShouldHaveSingleItem("the earlier script's daemon was killed by a later script's timeout");
    }

    [Fact]
    public void A_daemon_a_script_leaves_running_outlives_lockstep()
    {
        string daemon = _temp["daemon"];
        _temp.Script("parts/10-start", $"({SetsidSleep(daemon, 30)} &)\n{AwaitFile(daemon)}");
        _temp.Script("parts/20-also", $"{SetsidSleep(daemon, 30)} &\nuntil [ $(wc -l < '{daemon}') -ge 2 ]; do sleep 0.01; done");

        var result = LockstepCli.Run("run-parts", "--script-timeout", "30", _temp["parts"]);
        _strays.Collect(daemon);

        result.ExitCode.ShouldBe(0, result.ToString());
        _strays.Pids(daemon).Count.ShouldBe(2);
        _strays.StillRunning(daemon).Count.ShouldBe(2, "a background process left on purpose was killed");
    }

    [Fact]
    public void Scripts_that_daemonize_are_adopted_and_reaped_so_no_zombie_stays()
    {
        string adoptions = _temp["adoptions"];
        for (int i = 10; i < 30; i++)
        {
            string own = _temp[$"daemon.{i}"];
            // The daemon reports its parent once its starter is gone; the script ends only when the daemon is a zombie.
            _temp.Script($"parts/{i}-daemonize",
                $"(setsid sh -c 'sleep 0.02; read -r _ _ _ parent _ < /proc/$$/stat; echo \"$$ $parent\" > \"$0\"' '{own}' &)\n" +
                $"{AwaitFile(own)}\nread -r pid parent < '{own}'\necho \"$parent $PPID\" >> '{adoptions}'\n" +
                "until state=$(cut -d' ' -f3 /proc/$pid/stat 2>/dev/null); [ \"$state\" = Z ] || [ -z \"$state\" ]; do sleep 0.01; done");
        }

        string states = _temp["states"];
        _temp.Script("parts/99-check", $"for child in $(cat /proc/$PPID/task/*/children); do cut -d' ' -f3 /proc/$child/stat; done > '{states}'");

        var result = LockstepCli.Run("run-parts", _temp["parts"]);

        result.ExitCode.ShouldBe(0, result.ToString());
        var lines = File.ReadAllLines(adoptions);
        lines.Length.ShouldBe(20);
        lines.ShouldAllBe(line => line.Split(' ', StringSplitOptions.None)[0] == line.Split(' ', StringSplitOptions.None)[1],
            "a daemon was not adopted by lockstep");
        // Lockstep's children while 99-check ran: 99-check itself, no zombie.
        File.ReadAllLines(states).ShouldHaveSingleItem().ShouldNotBe("Z");
    }

    [Fact]
    public void Started_with_sigchld_ignored_lockstep_still_gets_each_scripts_status()
    {
        // An ignored SIGCHLD is inherited through exec; bash's trap '' sets it.
        _temp.Script("parts/10-ok", "echo ran");
        _temp.Script("parts/20-fails", "exit 42");
        var options = new CliOptions { Executable = "/bin/bash" };

        var result = LockstepCli.RunWith(options, "-c", "trap '' CHLD; exec \"$0\" \"$@\"", LockstepCli.Binary, "run-parts", _temp["parts"]);

        result.ExitCode.ShouldBe(42, result.ToString());
        result.Stdout.ShouldBe("ran\n");
        result.Stderr.ShouldContain("20-fails failed with exit status 42");
    }
}
