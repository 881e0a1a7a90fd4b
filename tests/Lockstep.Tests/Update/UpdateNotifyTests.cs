namespace Lockstep.Tests.Update;

/// <summary>notify.d through the command line: each event reaches every notifier exactly once, in sort -n order.</summary>
public sealed class UpdateNotifyTests : IDisposable
{
    // Shell built-ins only: a notifier that forks stays well inside a short notify_timeout on a busy machine.
    private const string Record = """echo "${0##*/} $LOCKSTEP_EVENT $LOCKSTEP_STEP $LOCKSTEP_LOCK_NAME $LOCKSTEP_HOLDER | $LOCKSTEP_MESSAGE" >> "${0%/*}/../events.log" """;

    private readonly UpdateHost _host;

    public UpdateNotifyTests()
    {
        _host = new UpdateHost();
        _host.Dir.Script("notify.d/10-webhook", Record);
        _host.Dir.Script("notify.d/2-mail", Record);
    }

    public void Dispose() => _host.Dispose();

    private string[] Events => File.Exists(_host.Dir["events.log"]) ? File.ReadAllLines(_host.Dir["events.log"]) : [];

    /// <summary>The events as "notifier event step", without the message.</summary>
    private string[] Told => [.. Events.Select(l => l.Split(" | ")[0])];

    [Fact]
    public void A_whole_update_tells_each_notifier_each_event_once_in_order()
    {
        var rebooting = _host.Update(new() { ["REBOOT"] = "1" });

        rebooting.ExitCode.ShouldBe(5, rebooting.ToString());
        Told.ShouldBe([
            "2-mail update_started lock_get fleet test-host", "10-webhook update_started lock_get fleet test-host",
            "2-mail lock_acquired lock_get fleet test-host", "10-webhook lock_acquired lock_get fleet test-host",
            "2-mail reboot reboot fleet test-host", "10-webhook reboot reboot fleet test-host",
        ]);
        Events[4].ShouldEndWith($"| rebooting: {_host.Dir["bin/fake-reboot"]} --now (post_update runs once the boot id is no longer boot-1)");

        _host.Reboot();
        _host.Update().ExitCode.ShouldBe(0);

        Told.Skip(6).ShouldBe(["2-mail update_finished lock_release fleet test-host", "10-webhook update_finished lock_release fleet test-host"]);
        Events[^1].ShouldEndWith("| update finished: lock 'fleet' released, state cleared");
    }

    [Fact]
    public void Nothing_to_do_tells_nobody()
    {
        _host.Update(new() { ["NO_UPDATES"] = "1" }).ExitCode.ShouldBe(0);

        Events.ShouldBeEmpty();
    }

    [Fact]
    public void A_failed_step_is_told_with_its_step_and_the_reason()
    {
        _host.Update(new() { ["FAIL_IN"] = "pre_update" }).ExitCode.ShouldBe(1);

        Told.Skip(4).ShouldBe(["2-mail step_failed pre_update fleet test-host", "10-webhook step_failed pre_update fleet test-host"]);
        Events[^1].ShouldContain($"| pre_update failed ({_host.Dir["pre_update.d/10-pre-update"]} exited 3)");
    }

    [Fact]
    public void Giving_up_on_the_lock_is_told_as_lock_wait_timeout()
    {
        using var host = new UpdateHost("lock_wait_timeout = 0.3");
        host.Dir.Script("notify.d/10-record", Record);
        host.WriteLockFile("db-2");

        host.Update().ExitCode.ShouldBe(4);

        File.ReadAllLines(host.Dir["events.log"]).Select(l => l.Split(" | ")[0]).ShouldBe([
            "10-record update_started lock_get fleet test-host", "10-record lock_wait_timeout lock_get fleet test-host",
        ]);
    }

    [Fact]
    public void A_closed_window_is_told_as_window_closed()
    {
        using var host = new UpdateHost("maintenance_window = Tue 02:00-05:00 UTC");
        host.Dir.Script("notify.d/10-record", Record);

        host.Update(new() { ["LOCKSTEP_TEST_CLOCK"] = "2026-11-24T10:55:00Z", ["TZ"] = "UTC" }).ExitCode.ShouldBe(6);

        var told = File.ReadAllLines(host.Dir["events.log"]);
        told.Select(l => l.Split(" | ")[0]).ShouldBe(["10-record update_started lock_get fleet test-host", "10-record window_closed lock_get fleet test-host"]);
        told[1].ShouldContain("the next window opens at 2026-12-01 02:00 +00:00");
    }

    [Fact]
    public void A_failing_or_hung_notifier_is_logged_and_changes_nothing()
    {
        // Every notifier runs under it, so not much shorter: the quick ones must finish inside it on a busy machine.
        using var host = new UpdateHost("notify_timeout = 2");
        host.Dir.Script("notify.d/1-broken", "exit 7");
        host.Dir.Script("notify.d/2-hung", "exec sleep 60");
        host.Dir.Script("notify.d/3-record", Record);

        var result = host.Update();

        result.ExitCode.ShouldBe(0, result.ToString());
        host.Ran.Length.ShouldBe(5);
        File.ReadAllLines(host.Dir["events.log"]).Select(l => l.Split(' ')[1]).ShouldBe(["update_started", "lock_acquired", "update_finished"]);
        result.Stderr.ShouldContain($"WARN: notifier {host.Dir["notify.d/2-hung"]} failed on update_started (status 124); the update goes on", Case.Sensitive, result.ToString());
        result.Stderr.ShouldContain($"WARN: {host.Dir["notify.d/1-broken"]} failed with exit status 7", Case.Sensitive, result.ToString());
        result.Stderr.ShouldNotContain(" ERROR: ");
    }

    [Fact]
    public void An_unsafe_notifier_stops_the_run_before_anything_runs()
    {
        string notifier = _host.Dir["notify.d/10-webhook"];
        File.SetUnixFileMode(notifier, File.GetUnixFileMode(notifier) | UnixFileMode.GroupWrite);

        var result = _host.Update();

        result.ExitCode.ShouldBe(3, result.ToString());
        string mode = Convert.ToString((int)File.GetUnixFileMode(notifier), 8).PadLeft(4, '0');
        result.Stderr.ShouldContain($"[main] notify.d: script {notifier} is writable by group (mode {mode}); refusing to run it (chmod g-w '{notifier}'); nothing was run", Case.Sensitive, result.ToString());
        _host.Ran.ShouldBeEmpty();
        Events.ShouldBeEmpty();
    }

    [Fact]
    public void A_notify_directory_that_was_set_must_exist()
    {
        using var host = new UpdateHost("notify.d = no-such-notify.d");

        var result = host.Update();

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Stderr.ShouldContain($"[main] notify.d: script directory {host.Dir["no-such-notify.d"]} does not exist; give an existing directory; nothing was run");
    }
}
