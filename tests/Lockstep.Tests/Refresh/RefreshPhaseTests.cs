using Lockstep.Tests.Support;

namespace Lockstep.Tests.Refresh;

/// <summary>Phases, environment.d, error.d and the options that choose what runs.</summary>
public sealed class RefreshPhaseTests : IDisposable
{
    private readonly RefreshHost _host = new();

    private void OneScriptPerPhase()
    {
        foreach (string phase in new[] { "migration", "post-configure", "configure", "pre-configure" })
        {
            _host.Script(phase, "10-say", "echo \"$LOCKSTEP_PHASE: $SHARED\"");
        }

        _host.Temp.File("base/environment.d/10-shared", "export SHARED=\"from environment.d\"\n");
    }

    [Fact]
    public void Migration_runs_after_post_configure_and_every_script_sees_its_phase_and_environment_d()
    {
        OneScriptPerPhase();

        var result = _host.Run();

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldBe(
            "pre-configure: from environment.d\nconfigure: from environment.d\npost-configure: from environment.d\nmigration: from environment.d\n");
    }

    [Fact]
    public void Error_d_is_told_which_phase_script_and_status_failed()
    {
        _host.Script("pre-configure", "10-ok", "true");
        string failing = _host.Script("configure", "20-broken", "exit 42");
        _host.Script("post-configure", "10-never", "echo post-configure ran");
        _host.Temp.Script("base/error.d/10-report",
            "echo \"error.d: phase=$LOCKSTEP_PHASE failed=$LOCKSTEP_FAILED_PHASE script=$LOCKSTEP_FAILED_SCRIPT status=$LOCKSTEP_FAILED_STATUS\"");

        var result = _host.Run();

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stdout.ShouldBe($"error.d: phase=error failed=configure script={failing} status=42\n");
    }

    [Fact]
    public void A_failing_error_handler_is_reported_and_the_status_stays_1()
    {
        _host.Script("configure", "10-broken", "exit 3");
        _host.Temp.Script("base/error.d/10-also-broken", "exit 5");

        var result = _host.Run();

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stderr.ShouldContain("error handlers in");
        result.Stderr.ShouldContain("failed with status 5 (ignored");
    }

    [Fact]
    public void Phase_options_run_only_those_phases_in_canonical_order()
    {
        OneScriptPerPhase();

        var result = _host.Run("--phase", "migration", "--phase", "pre-configure.d");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldBe("pre-configure: from environment.d\nmigration: from environment.d\n");
    }

    [Fact]
    public void An_unknown_phase_is_a_usage_error()
    {
        var result = _host.Run("--phase", "error");

        result.ExitCode.ShouldBe(2);
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain("--phase takes one of pre-configure, configure");
    }

    [Fact]
    public void List_prints_what_each_phase_would_run_and_runs_nothing_takes_no_lock_and_records_nothing()
    {
        string marker = _host.Temp["ran"];
        _host.Script("configure", "20-b", $"touch {marker}");
        _host.Script("configure", "3-a", $"touch {marker}");
        _host.Script("migration", "10-m", $"touch {marker}");
        _host.Temp.File("base/configure.d/skipped.sh", "#!/bin/sh\n");

        var result = _host.Run("--list");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldBe($"{_host.Base}/configure.d/3-a\n{_host.Base}/configure.d/20-b\n{_host.Base}/migration.d/10-m\n");
        File.Exists(marker).ShouldBeFalse();
        File.Exists(_host.LockFile).ShouldBeFalse();
        Directory.Exists(_host.StateDir).ShouldBeFalse();
    }

    [Fact]
    public void List_with_phase_shows_only_those_phases()
    {
        OneScriptPerPhase();

        var result = _host.Run("--list", "--phase", "configure");

        result.Stdout.ShouldBe($"{_host.Base}/configure.d/10-say\n");
    }

    [Fact]
    public void Base_dir_option_overrides_the_environment_variable()
    {
        var other = _host.Temp.Dir("other");
        _host.Temp.Script("other/configure.d/10-other", "echo other base");
        OneScriptPerPhase();

        _host.Run("--base-dir", other).Stdout.ShouldBe("other base\n");
        _host.Run("--base-dir", other, "--print-base").Stdout.ShouldBe(other + "\n");
    }

    [Fact]
    public void An_empty_base_dir_variable_means_phases_relative_to_the_working_directory()
    {
        _host.Script("configure", "10-here", "echo relative");
        var options = new CliOptions { WorkingDirectory = _host.Base, Environment = { ["OS_REFRESH_CONFIG_BASE_DIR"] = "" } };

        _host.RunWith(options, "--print-base").Stdout.ShouldBe("\n");
        var result = _host.RunWith(options);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldBe("relative\n");
    }

    [Fact]
    public void A_missing_base_directory_warns_and_succeeds()
    {
        var result = _host.Run("--base-dir", _host.Temp["missing"]);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldBe("");
        result.Stderr.ShouldContain($"base directory {_host.Temp["missing"]} does not exist");
    }

    [Fact]
    public void Through_a_symlink_named_os_refresh_config_it_is_os_refresh_config()
    {
        string link = _host.Temp["os-refresh-config"];
        File.CreateSymbolicLink(link, LockstepCli.Binary);
        _host.Script("configure", "10-x", "echo configured");
        var options = _host.WithBase(new CliOptions { Executable = link });

        LockstepCli.RunWith(options, "--print-phases").Stdout.ShouldBe("pre-configure\tconfigure\tpost-configure\tmigration\n");
        var result = LockstepCli.RunWith(options, "--lockfile", _host.LockFile, "--state-dir", _host.StateDir);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldBe("configured\n");
        result.Stderr.ShouldContain(" os-refresh-config INFO: Starting phase configure");
    }

[Theory]
    [InlineData("-1")]
    [InlineData("-30")]
    [InlineData("0")]
    public void As_os_refresh_config_a_negative_timeout_means_no_limit(string timeout)
    {
        string link = _host.Temp["os-refresh-config"];
        File.CreateSymbolicLink(link, LockstepCli.Binary);
        _host.Script("configure", "10-x", "sleep 1; echo configured");
        var options = _host.WithBase(new CliOptions { Executable = link });

        var result = LockstepCli.RunWith(options, "--timeout", timeout, "--lockfile", _host.LockFile, "--state-dir", _host.StateDir);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldBe("configured\n");
    }

    [Theory]
    [InlineData("-1.5")]
    [InlineData("-soon")]
    [InlineData("-")]
    public void As_os_refresh_config_a_timeout_that_is_no_whole_number_is_still_a_usage_error(string timeout)
    {
        string link = _host.Temp["os-refresh-config"];
        File.CreateSymbolicLink(link, LockstepCli.Binary);
        var options = _host.WithBase(new CliOptions { Executable = link });

        var result = LockstepCli.RunWith(options, "--timeout", timeout, "--lockfile", _host.LockFile, "--state-dir", _host.StateDir);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldStartWith("os-refresh-config: ");
    }

        public void Dispose() => _host.Dispose();
}
