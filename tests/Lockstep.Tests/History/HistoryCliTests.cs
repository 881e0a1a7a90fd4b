using System.Globalization;
using Lockstep.Tests.Refresh;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.History;

/// <summary>lockstep history after refresh runs that succeeded, failed, or were killed.</summary>
public sealed class HistoryCliTests : IDisposable
{
    private readonly RefreshHost _host = new();

    [Fact]
    public void After_a_successful_run_history_shows_it_with_each_phase_and_script()
    {
        _host.Script("pre-configure", "10-quiesce", "true");
        _host.Script("configure", "10-write", "true");
        _host.Script("configure", "20-check", "true");
        _host.Run().ExitCode.ShouldBe(0);

        var table = _host.History("--detail");

        table.ExitCode.ShouldBe(0, table.ToString());
        var lines = table.Stdout.Split('\n');
        lines[0].ShouldStartWith("STARTED");
        lines[1].ShouldMatch(@" succeeded +0 +2 +3$");
        table.Stdout.ShouldContain("configure.d");
        table.Stdout.ShouldContain("20-check");
        table.Stdout.ShouldMatch($@"(?m)^ +post-configure\.d +- +skipped +{System.Text.RegularExpressions.Regex.Escape(_host.Base)}/post-configure\.d does not exist$");

        var record = _host.Records().ShouldHaveSingleItem();
        record.GetProperty("outcome").GetString().ShouldBe("succeeded");
        record.GetProperty("exit_status").GetInt32().ShouldBe(0);
        record.GetProperty("base_dir").GetString().ShouldBe(_host.Base);
        var configure = record.GetProperty("phases").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "configure");
        configure.GetProperty("scripts").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ShouldBe(["10-write", "20-check"]);
        configure.GetProperty("scripts")[1].GetProperty("status").GetInt32().ShouldBe(0);
        configure.GetProperty("scripts")[1].GetProperty("duration_seconds").GetDouble().ShouldBeGreaterThanOrEqualTo(0);
    }

    [Fact]
    public void After_a_failed_run_history_shows_what_failed_and_error_d()
    {
        string failing = _host.Script("configure", "20-broken", "exit 9");
        _host.Temp.Script("base/error.d/10-report", "true");
        _host.Run().ExitCode.ShouldBe(1);

        var table = _host.History();

        table.Stdout.Split('\n')[1].ShouldEndWith($" failed             1       1        1  phase configure: {failing} failed with status 9");
        var record = _host.Records().ShouldHaveSingleItem();
        record.GetProperty("outcome").GetString().ShouldBe("failed");
        record.GetProperty("exit_status").GetInt32().ShouldBe(1);
        record.GetProperty("error_handlers").GetProperty("outcome").GetString().ShouldBe("succeeded");
    }

    [Fact]
    public async Task After_lockstep_is_killed_mid_run_history_says_the_run_did_not_finish_and_where()
    {
        string pidFile = _host.Temp["script.pid"];
        _host.Script("pre-configure", "10-fast", "true");
        _host.Script("configure", "10-stuck", $"echo $$ > {pidFile}; exec sleep 60");
        using var lockstep = LockstepCli.Start(_host.WithBase(new CliOptions()), "refresh", "--lockfile", _host.LockFile, "--state-dir", _host.StateDir);
        int script = int.Parse(ProcessProbe.WaitForFile(pidFile, TimeSpan.FromSeconds(10)), CultureInfo.InvariantCulture);
        // The journal writes progress within a second of a change; wait until the record names the stuck script.
        string runs = Path.Combine(_host.StateDir, "runs");
        Eventually.Holds(() => Directory.GetFiles(runs, "*.json").Any(f => File.ReadAllText(f).Contains("10-stuck")), TimeSpan.FromSeconds(15)).ShouldBeTrue();

        lockstep.Kill();
        await lockstep.WaitForExitAsync();
        using (var kill = System.Diagnostics.Process.Start("kill", ["-KILL", "--", $"-{script}"]))
        {
            await kill.WaitForExitAsync();
        }

        var table = _host.History("--detail");
        table.Stdout.ShouldContain("did_not_finish");
        table.Stdout.ShouldContain($"lockstep was killed or crashed during configure ({_host.Base}/configure.d/10-stuck)");
        var record = _host.Records().ShouldHaveSingleItem();
        record.GetProperty("outcome").GetString().ShouldBe("did_not_finish");
        record.TryGetProperty("exit_status", out _).ShouldBeFalse();
        Directory.GetFiles(runs).ShouldHaveSingleItem();
    }

    [Fact]
    public void Last_limits_the_runs_shown_to_the_newest_oldest_first()
    {
        string counter = _host.Temp["count"];
        _host.Script("configure", "10-count", $"echo x >> {counter}; [ $(wc -l < {counter}) -ne 2 ]");
        for (int i = 0; i < 3; i++)
        {
            _host.Run();
        }

        var outcomes = _host.Records(last: 2).Select(r => r.GetProperty("outcome").GetString());

        outcomes.ShouldBe(["failed", "succeeded"]);
        _host.History("--last", "1").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(2);
    }

    [Fact]
    public void With_no_runs_history_says_so_and_json_is_an_empty_array()
    {
        var table = _host.History();
        table.ExitCode.ShouldBe(0);
        table.Stdout.ShouldBe("");
        table.Stderr.ShouldContain($"no runs recorded in {_host.StateDir}/runs");

        _host.History("--json").Stdout.ShouldBe("[]\n");
    }

    [Fact]
    public void A_corrupt_record_is_shown_as_unreadable_with_one_warning_and_the_others_still_show()
    {
        _host.Run().ExitCode.ShouldBe(0);
        File.WriteAllText(Path.Combine(_host.StateDir, "runs", "00000000T000000.000Z-1.json"), "{\"version\": 1, \"id\"");

        var table = _host.History();

        table.ExitCode.ShouldBe(0);
        table.Stdout.ShouldContain("unreadable");
        table.Stdout.ShouldContain("succeeded");
        table.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain("00000000T000000.000Z-1.json: not a valid run record");
    }

    [Fact]
    public void A_state_directory_that_cannot_be_read_gives_1_and_one_line()
    {
        _host.Run().ExitCode.ShouldBe(0);
        string runs = Path.Combine(_host.StateDir, "runs");
        File.SetUnixFileMode(runs, UnixFileMode.None);
        try
        {
            var result = RefreshHost.RunAsNobody(new CliOptions(), "history", "--state-dir", _host.StateDir);

            result.ExitCode.ShouldBe(1, result.ToString());
            var line = result.Stderr.Trim().Split('\n').ShouldHaveSingleItem();
            line.ShouldContain($"cannot read run records in {runs}: permission denied");
            line.ShouldContain("--state-dir");
        }
        finally
        {
            File.SetUnixFileMode(runs, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("many")]
    public void Last_must_be_a_positive_number(string value) => _host.History("--last", value).ExitCode.ShouldBe(2);

    public void Dispose() => _host.Dispose();
}
