namespace Lockstep.Tests.Refresh;

/// <summary>os-refresh-config's own functional tests (tests/functional/test_cmd.py), as README "lockstep refresh" describes the behaviour they pin.</summary>
public sealed class OsRefreshConfigFunctionalTests : IDisposable
{
    private readonly RefreshHost _host = new();

    [Fact]
    public void An_empty_base_directory_succeeds_silently()
    {
        var result = _host.RunWith(_host.Bare());

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldBe("");
        result.Stderr.ShouldBe("");
    }

    [Fact]
    public void An_empty_base_directory_at_debug_level_explains_itself_on_stderr_only()
    {
        var result = _host.RunWith(_host.Bare(), "--log-level", "DEBUG");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldBe("");
        result.Stderr.ShouldContain("pre-configure.d does not exist");
    }

    [Fact]
    public void Scripts_of_three_phases_print_in_phase_order_then_name_order()
    {
        _host.OrcScript("pre-configure", "10-pre-first");
        _host.OrcScript("pre-configure", "20-pre-second");
        _host.OrcScript("configure", "10-conf-first");
        _host.OrcScript("configure", "20-conf-second");
        _host.OrcScript("post-configure", "10-post-first");
        _host.OrcScript("post-configure", "20-post-second");

        var result = _host.RunWith(_host.Bare());

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldBe(string.Join('\n',
            "10-pre-first starting", "10-pre-first done", "20-pre-second starting", "20-pre-second done",
            "10-conf-first starting", "10-conf-first done", "20-conf-second starting", "20-conf-second done",
            "10-post-first starting", "10-post-first done", "20-post-second starting", "20-post-second done", ""));
    }

    [Fact]
    public void A_script_exiting_99_gives_1_and_the_next_phase_never_runs()
    {
        _host.OrcScript("pre-configure", "10-pre-first");
        _host.OrcScript("pre-configure", "20-pre-second", returnCode: 99);
        _host.OrcScript("configure", "10-conf-first");

        var result = _host.RunWith(_host.Bare());

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stdout.ShouldBe("10-pre-first starting\n10-pre-first done\n20-pre-second starting\n20-pre-second done\n");
        result.Stderr.ShouldContain("20-pre-second failed with status 99");
    }

    [Fact]
    public void The_timeout_stops_the_run_and_only_what_ran_before_it_is_printed()
    {
        _host.OrcScript("pre-configure", "10-pre-first", sleep: 5);
        _host.OrcScript("pre-configure", "20-pre-second", sleep: 5);
        _host.OrcScript("configure", "10-conf-first", sleep: 5);

        var result = _host.RunWith(_host.Bare(), "--timeout", "2", "--log-level", "DEBUG");

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stdout.ShouldBe("10-pre-first starting\n");
        result.Stderr.ShouldContain("--timeout of 2 s passed");
    }

    [Fact]
    public void Print_phases_prints_the_four_phases_tab_separated_and_nothing_else()
    {
        var result = _host.RunWith(_host.Bare(), "--print-phases");

        result.ExitCode.ShouldBe(0);
        result.Stdout.ShouldBe("pre-configure\tconfigure\tpost-configure\tmigration\n");
        result.Stderr.ShouldBe("");
    }

    [Fact]
    public void Print_base_prints_the_base_directory_and_takes_no_lock()
    {
        var result = _host.RunWith(_host.Bare(), "--print-base");

        result.ExitCode.ShouldBe(0);
        result.Stdout.ShouldBe(_host.Base + "\n");
        result.Stderr.ShouldBe("");
        File.Exists(_host.LockFile).ShouldBeFalse();
        Directory.Exists(_host.StateDir).ShouldBeFalse();
    }

    public void Dispose() => _host.Dispose();
}
