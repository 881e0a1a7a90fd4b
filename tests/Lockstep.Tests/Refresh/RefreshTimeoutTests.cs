using System.Globalization;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.Refresh;

/// <summary>Deadlines: the whole run's, each script's; what they kill.</summary>
public sealed class RefreshTimeoutTests : IDisposable
{
    private readonly RefreshHost _host = new();

    [Fact]
    public void The_run_timeout_kills_grandchildren_even_those_ignoring_term_then_error_d_runs()
    {
        string pidFile = _host.Temp["grandchild.pid"];
        _host.Script("pre-configure", "10-spawn", $"sh -c 'trap \"\" TERM; echo $$ > {pidFile}; exec sleep 60' &\nwait\necho never");
        _host.Script("configure", "10-never", "echo configure ran");
        _host.Temp.Script("base/error.d/10-report", "echo \"error.d: $LOCKSTEP_FAILED_PHASE $LOCKSTEP_FAILED_STATUS\"");

        var result = _host.Run("--timeout", "1", "--kill-grace", "1");

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stdout.ShouldBe("error.d: pre-configure 124\n");
        int grandchild = int.Parse(ProcessProbe.WaitForFile(pidFile, TimeSpan.FromSeconds(10)), CultureInfo.InvariantCulture);
        ProcessProbe.WaitUntilGone(grandchild, TimeSpan.FromSeconds(10));
        ProcessProbe.IsAlive(grandchild).ShouldBeFalse("the grandchild survived the deadline");
        _host.Records().ShouldHaveSingleItem().GetProperty("outcome").GetString().ShouldBe("timed_out");
    }

    [Fact]
    public void A_script_timeout_fails_the_phase_with_124()
    {
        _host.Script("configure", "10-slow", "sleep 60");
        _host.Script("configure", "20-never", "echo never");
        _host.Temp.Script("base/error.d/10-report", "echo \"error.d: $LOCKSTEP_FAILED_SCRIPT $LOCKSTEP_FAILED_STATUS\"");

        var result = _host.Run("--script-timeout", "0.5", "--kill-grace", "1");

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stdout.ShouldBe($"error.d: {_host.Base}/configure.d/10-slow 124\n");
        result.Stderr.ShouldContain("timeout");
    }

    [Fact]
    public async Task Interrupting_refresh_passes_the_signal_on_skips_error_d_and_exits_128_plus_n()
    {
        string started = _host.Temp["started"];
        _host.Script("configure", "10-wait", $"echo started > {started}; sleep 60");
        _host.Temp.Script("base/error.d/10-report", "echo error.d ran");
        using var process = LockstepCli.Start(_host.WithBase(new CliOptions()), "refresh", "--lockfile", _host.LockFile, "--state-dir", _host.StateDir);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        ProcessProbe.WaitForFile(started, TimeSpan.FromSeconds(10));

        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        process.ExitCode.ShouldBe(143, await stderr);
        (await stdout).ShouldBe("");
        _host.Records().ShouldHaveSingleItem().GetProperty("outcome").GetString().ShouldBe("interrupted");
    }

    public void Dispose() => _host.Dispose();
}
