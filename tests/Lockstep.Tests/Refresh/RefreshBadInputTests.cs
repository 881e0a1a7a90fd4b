using Lockstep.Tests.Support;

namespace Lockstep.Tests.Refresh;

/// <summary>Input refresh cannot use: one clear line, a documented status, and the run still recorded.</summary>
public sealed class RefreshBadInputTests : IDisposable
{
    private readonly RefreshHost _host = new();

    private string ErrorReporter() => _host.Temp.Script("base/error.d/10-report",
        "echo \"error.d: $LOCKSTEP_FAILED_PHASE $LOCKSTEP_FAILED_SCRIPT $LOCKSTEP_FAILED_STATUS\"");

    private static string ErrorLine(CliResult result) =>
        result.Stderr.Split('\n').Where(l => l.Contains(" ERROR: ")).ShouldHaveSingleItem();

    [Fact]
    public void A_phase_path_that_is_a_file_fails_the_phase_and_calls_error_d()
    {
        _host.Script("pre-configure", "10-ok", "echo pre-configure ran");
        string phase = _host.Temp.File("base/configure.d", "not a directory\n");
        _host.Script("post-configure", "10-never", "echo post-configure ran");
        ErrorReporter();

        var result = _host.Run();

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stdout.ShouldBe($"pre-configure ran\nerror.d: configure {phase} 1\n");
        ErrorLine(result).ShouldContain($"{phase} is not a directory");
        var record = _host.Records().ShouldHaveSingleItem();
        record.GetProperty("outcome").GetString().ShouldBe("failed");
        record.GetProperty("message").GetString()!.ShouldContain("is not a directory");
    }

    [Fact]
    public void An_unreadable_phase_directory_fails_the_phase_with_one_line()
    {
        string phase = _host.Temp.Dir("base/configure.d");
        _host.Script("configure", "10-x", "echo must not run");
        string shared = _host.Temp.Dir("shared");
        File.SetUnixFileMode(shared, (UnixFileMode)0b111_111_111);
        File.SetUnixFileMode(phase, UnixFileMode.None);
        try
        {
            var result = RefreshHost.RunAsNobody(_host.WithBase(new CliOptions()),
                "refresh", "--lockfile", Path.Combine(shared, "lock"), "--state-dir", shared);

            result.ExitCode.ShouldBe(1, result.ToString());
            result.Stdout.ShouldBe("");
            ErrorLine(result).ShouldContain($"{phase} cannot be listed (permission denied)");
            LockstepCli.Run("history", "--state-dir", shared).Stdout.ShouldContain("cannot be listed");
        }
        finally
        {
            File.SetUnixFileMode(phase, (UnixFileMode)0b111_101_101);
        }
    }

    [Fact]
    public void A_base_directory_others_may_write_is_refused_before_any_phase_runs()
    {
        string marker = _host.Temp["ran"];
        _host.Script("configure", "10-x", $"touch '{marker}'");
        File.SetUnixFileMode(_host.Base, (UnixFileMode)0b111_111_111);

        var result = _host.Run();

        result.ExitCode.ShouldBe(1, result.ToString());
        File.Exists(marker).ShouldBeFalse();
        ErrorLine(result).ShouldContain($"script directory {_host.Base}/configure.d is reached through directory {_host.Base}, which is writable by");
    }

    [Fact]
    public void A_user_refreshing_an_empty_base_directory_without_a_state_directory_sees_nothing()
    {
        string shared = _host.Temp.Dir("shared");
        File.SetUnixFileMode(shared, (UnixFileMode)0b1_111_111_111);

        var result = RefreshHost.RunAsNobody(_host.WithBase(new CliOptions()), "refresh", "--lockfile", Path.Combine(shared, "lock"));

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldBeEmpty();
        result.Stderr.ShouldBeEmpty();
    }

    [Fact]
    public void History_of_a_state_directory_that_is_a_file_is_an_error()
    {
        string file = _host.Temp.File("not-a-dir", "x");

        var result = LockstepCli.Run("history", "--state-dir", file);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain($"{file} is a file, not a state directory");
    }

    [Fact]
    public void A_failing_environment_file_stops_the_phase_before_any_script()
    {
        _host.Script("configure", "10-x", "echo must not run");
        _host.Temp.File("base/environment.d/10-broken", "echo sourcing >&2\n(exit 3)\n");

        var result = _host.Run();

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stdout.ShouldBe("");
        ErrorLine(result).ShouldContain($"environment file {_host.Base}/environment.d/10-broken failed with status 3");
        var phases = _host.Records().ShouldHaveSingleItem().GetProperty("phases").EnumerateArray();
        phases.Single(p => p.GetProperty("name").GetString() == "configure").GetProperty("status").GetInt32().ShouldBe(3);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("soon")]
    [InlineData("-1")]
    [InlineData("2000001")]
    [InlineData("99999999999")]
    public void A_timeout_that_is_not_a_whole_number_of_seconds_is_a_usage_error(string value)
    {
        var result = _host.Run("--timeout", value);

        result.ExitCode.ShouldBe(2);
        result.Stdout.ShouldBe("");
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain($"--timeout takes a whole number of seconds from 0 to 2000000 (about 23 days), not '{value}'");
        var record = _host.Records().ShouldHaveSingleItem();
        record.GetProperty("outcome").GetString().ShouldBe("not_started");
        record.GetProperty("exit_status").GetInt32().ShouldBe(2);
        record.GetProperty("message").GetString()!.ShouldContain("--timeout takes a whole number of seconds");
    }

    [Fact]
    public void A_hanging_error_handler_is_killed_at_its_bound()
    {
        _host.Script("configure", "10-broken", "exit 4");
        _host.Temp.Script("base/error.d/10-hang", "echo error.d started; sleep 60; echo never");

        var result = _host.Run("--error-timeout", "1", "--kill-grace", "1");

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stdout.ShouldBe("error.d started\n");
        result.Stderr.ShouldContain("did not finish within --error-timeout (1 s) and were killed");
        var handlers = _host.Records().ShouldHaveSingleItem().GetProperty("error_handlers");
        handlers.GetProperty("outcome").GetString().ShouldBe("timed_out");
    }

    [Fact]
    public void A_state_directory_that_cannot_be_written_warns_once_and_the_refresh_still_runs()
    {
        string notADirectory = _host.Temp.File("state-file", "");
        _host.Script("configure", "10-x", "echo configured");

        var result = LockstepCli.RunWith(_host.WithBase(new CliOptions()), "refresh", "--lockfile", _host.LockFile, "--state-dir", notADirectory);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldBe("configured\n");
        var warning = result.Stderr.Split('\n').Where(l => l.Contains(" WARN: ")).ShouldHaveSingleItem();
        warning.ShouldContain($"cannot record this run in {notADirectory}/runs");
        warning.ShouldContain("--state-dir DIR");
    }

    [Fact]
    public void An_untrusted_script_fails_its_phase()
    {
        string script = _host.Script("configure", "10-open", "echo must not run");
        File.SetUnixFileMode(script, (UnixFileMode)0b111_111_101);

        var result = _host.Run();

        result.ExitCode.ShouldBe(1);
        result.Stdout.ShouldBe("");
        ErrorLine(result).ShouldContain("writable by group");
    }

    public void Dispose() => _host.Dispose();
}
