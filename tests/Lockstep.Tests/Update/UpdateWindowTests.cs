namespace Lockstep.Tests.Update;

/// <summary>
/// Maintenance windows through the command line, on the clock LOCKSTEP_TEST_CLOCK sets (a wait for
/// a window jumps it forward instead of sleeping). 2026-11-24 is a Tuesday; the host's zone is UTC.
/// </summary>
public sealed class UpdateWindowTests : IDisposable
{
    private const string Window = "maintenance_window = Tue 02:00-05:00 UTC";

    private readonly UpdateHost _host = new(Window);

    public void Dispose() => _host.Dispose();

    private static Dictionary<string, string?> At(string instant, Dictionary<string, string?>? more = null)
    {
        var environment = new Dictionary<string, string?> { ["LOCKSTEP_TEST_CLOCK"] = instant, ["TZ"] = "UTC" };
        foreach (var (key, value) in more ?? [])
        {
            environment[key] = value;
        }

        return environment;
    }

    [Fact]
    public void With_the_window_closed_no_lock_is_taken_and_the_next_opening_is_logged()
    {
        var result = _host.Update(At("2026-11-24T10:55:00Z"));

        result.ExitCode.ShouldBe(6, result.ToString());
        result.Stderr.ShouldContain("outside the maintenance windows (or less than window_min_remaining 30 min left): lock 'fleet' was not taken and the state is kept at lock_get; " +
            "the next window opens at 2026-12-01 02:00 +00:00");
        _host.Ran.ShouldBe(["needs_update free fleet"]);
        _host.LockHolder.ShouldBeNull();
        _host.State.ShouldNotBeNull().ShouldContain("\"step\": \"lock_get\"");

        var inside = _host.Update(At("2026-12-01T02:10:00Z"));

        inside.ExitCode.ShouldBe(0, inside.ToString());
        _host.Ran.ShouldBe(["needs_update free fleet", "pre_update locked fleet", "update locked fleet", "needs_reboot locked fleet", "post_update locked fleet"]);
    }

    [Fact]
    public void With_the_window_open_the_update_runs()
    {
        var result = _host.Update(At("2026-11-24T02:30:00Z"));

        result.ExitCode.ShouldBe(0, result.ToString());
        _host.Ran.ShouldBe(["needs_update free fleet", "pre_update locked fleet", "update locked fleet", "needs_reboot locked fleet", "post_update locked fleet"]);
        _host.LockHolder.ShouldBeNull();
    }

    [Theory]
    [InlineData("2026-11-24T04:31:00Z", "", 6)] // 29 minutes left of the default 30
    [InlineData("2026-11-24T04:29:00Z", "", 0)] // 31 minutes left (the clock runs on while the run starts)
    [InlineData("2026-11-24T04:31:00Z", "window_min_remaining = 600", 0)]
    [InlineData("2026-11-24T04:51:00Z", "window_min_remaining = 600", 6)]
    public void The_lock_is_taken_only_with_window_min_remaining_left(string now, string extra, int status)
    {
        using var host = new UpdateHost($"{Window}\n{extra}");

        var result = host.Update(At(now));

        result.ExitCode.ShouldBe(status, result.ToString());
        host.Ran.Length.ShouldBe(status == 0 ? 5 : 1);
    }

    [Fact]
    public void At_the_reboot_step_after_the_window_closed_the_run_waits_for_the_next_opening_holding_the_lock()
    {
        _host.Update(At("2026-11-24T04:00:00Z", new() { ["FAIL_IN"] = "update" })).ExitCode.ShouldBe(1);
        _host.LockHolder.ShouldBe(UpdateHost.Holder);

        var result = _host.Update(At("2026-11-24T06:00:00Z", new() { ["REBOOT"] = "1" }));

        result.ExitCode.ShouldBe(5, result.ToString());
        result.Stderr.ShouldContain("reboot step outside the maintenance windows: waiting, holding lock 'fleet', until 2026-12-01 02:00 +00:00");
        _host.Ran.ShouldBe([
            "needs_update free fleet", "pre_update locked fleet", "update locked fleet",
            "update locked fleet", "needs_reboot locked fleet", "reboot --now locked",
        ]);
        // The reboot was recorded on the clock after the wait: the window's opening.
        _host.State.ShouldNotBeNull().ShouldContain("2026-12-01T02:00:");
        _host.LockHolder.ShouldBe(UpdateHost.Holder);
    }

    [Fact]
    public void A_wait_for_the_lock_stops_when_the_window_no_longer_leaves_enough_time()
    {
        _host.WriteLockFile("db-2");

        var result = _host.Update(At("2026-11-24T04:29:58Z"));

        result.ExitCode.ShouldBe(6, result.ToString());
        result.Stderr.ShouldContain("lock 'fleet' (local lock file " + _host.LockFile + ") is held by db-2");
        result.Stderr.ShouldContain("lock 'fleet' was not taken and the state is kept at lock_get; the next window opens at 2026-12-01 02:00 +00:00");
        _host.LockHolder.ShouldBe("db-2");
    }

    [Theory]
    [InlineData("2026-11-24T03:00:00Z", 0, "open: a maintenance window is open now until 2026-11-24 05:00 +00:00")]
    [InlineData("2026-11-24T04:45:00Z", 6, "closing: a maintenance window is open until 2026-11-24 05:00 +00:00, less than window_min_remaining (30 min) from now\nnext window: opens 2026-12-01 02:00 +00:00, closes 2026-12-01 05:00 +00:00")]
    [InlineData("2026-11-24T10:55:00Z", 6, "closed: no maintenance window is open now\nnext window: opens 2026-12-01 02:00 +00:00, closes 2026-12-01 05:00 +00:00")]
    public void Check_window_says_whether_the_lock_may_be_taken_now_and_runs_nothing(string now, int status, string expected)
    {
        var result = _host.Update(At(now), "--check-window");

        result.ExitCode.ShouldBe(status, result.ToString());
        result.Stdout.ShouldBe(expected + "\n");
        _host.Ran.ShouldBeEmpty();
        _host.State.ShouldBeNull();
    }

    [Fact]
    public void Check_window_in_another_zone_prints_the_hosts_wall_clock()
    {
        using var host = new UpdateHost("maintenance_window = Mon..Fri 02:00-05:00 Europe/Berlin\nmaintenance_window = Sat 22:00-Sun 04:00 America/New_York");

        var result = host.Update(new() { ["LOCKSTEP_TEST_CLOCK"] = "2026-11-27T10:00:00Z", ["TZ"] = "Asia/Tokyo" }, "--check-window");

        result.ExitCode.ShouldBe(6, result.ToString());
        result.Stdout.ShouldBe("closed: no maintenance window is open now\nnext window: opens 2026-11-29 12:00 +09:00, closes 2026-11-29 18:00 +09:00\n");
    }

    [Fact]
    public void Without_windows_check_window_says_any_time()
    {
        using var host = new UpdateHost();

        var result = host.Update(null, "--check-window");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldBe("no maintenance_window is set: updates may run at any time\n");
    }

    [Theory]
    [InlineData("maintenance_window = Mon..Fri 02:00", "[main] maintenance_window = 'Mon..Fri 02:00' is not a maintenance window: it does not have the shape of a window; write DAYS HH:MM-HH:MM [ZONE]")]
    [InlineData("maintenance_window = Mon 02:00-05:00 Mars/Olympus", "'Mars/Olympus' is not a known time zone")]
    [InlineData("maintenance_window = Mon 02:00-02:00 UTC", "it has zero length")]
    [InlineData("maintenance_window = Mon 22:00-04:00 UTC", "a window across midnight names its end day, e.g. 'Sat 22:00-Sun 04:00'")]
    public void A_bad_window_stops_the_run_with_one_line_naming_file_and_line(string line, string message)
    {
        using var host = new UpdateHost(line);

        var result = host.Update(At("2026-11-24T03:00:00Z"));

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Stderr.Trim().Split('\n').Length.ShouldBe(1, result.Stderr);
        result.Stderr.ShouldContain($"{host.Config}:");
        result.Stderr.ShouldContain(message);
        host.Ran.ShouldBeEmpty();
    }

    [Fact]
    public void Several_window_lines_are_all_honoured()
    {
        using var host = new UpdateHost("maintenance_window = Mon 02:00-05:00 UTC\nmaintenance_window = Tue 10:00-12:00 UTC");

        var result = host.Update(At("2026-11-24T10:55:00Z"));

        result.ExitCode.ShouldBe(0, result.ToString());
    }

    [Fact]
    public void A_test_clock_that_is_not_an_instant_is_refused()
    {
        var result = _host.Update(new() { ["LOCKSTEP_TEST_CLOCK"] = "soon" });

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldBe("update: LOCKSTEP_TEST_CLOCK='soon' is not an instant; write it as 2026-03-29T00:30:00Z\n");
    }
}
