using System.Text.Json;
using Lockstep.Config;
using Lockstep.Fleet;
using Lockstep.Locks;
using Lockstep.Tests.Support;
using Lockstep.Tests.Update;

namespace Lockstep.Tests.Fleet;

/// <summary>
/// The fleet view end to end through the command line on one lock engine (etcd, PostgreSQL,
/// local): several hosts updating under one lock, seen and steered with <c>lockstep fleet</c> and
/// <c>lockstep lock</c>. Each engine's class says how hosts reach it.
/// </summary>
public abstract class FleetScenarios : IDisposable
{
    private readonly List<UpdateHost> _hosts = [];
    private readonly List<RunningUpdate> _runs = [];

    /// <summary>A lock of its own per test: the engines are shared by the tests of a collection.</summary>
    protected string LockName { get; } = LockContexts.UniqueLockName("rollout");

    /// <summary>The backend lines that reach the engine (its <c>[main]</c> line and its section).</summary>
    protected abstract HostBackend Engine { get; }

    [Fact]
    public void A_rollout_shows_in_fleet_status_step_by_step_until_every_host_is_done()
    {
        var web1 = NewHost("web-1");
        var web2 = NewHost("web-2");
        Gate(web1, "pre_update");
        var first = Start(web1);
        WaitForRow(web1, "web-1", row => Text(row, "step") == "pre_update" && row.GetProperty("holds_slot").GetBoolean());
        var second = Start(web2);
        var waiting = WaitForRow(web1, "web-2", row => Text(row, "outcome") == ReportOutcome.WaitingLock);
        waiting.GetProperty("holds_slot").GetBoolean().ShouldBeFalse();

        var during = Fleet(web1, "status");
        during.ExitCode.ShouldBe(0, during.ToString());
        during.Stdout.ShouldContain($"lock: {LockName}");
        during.Stdout.ShouldContain("holders: web-1");
        during.Stdout.ShouldContain("paused: no");
        Line(during.Stdout, "web-1").ShouldContain("pre_update");
        Line(during.Stdout, "web-1").ShouldContain(" yes ");
        Line(during.Stdout, "web-2").ShouldContain("waiting_lock");

        File.WriteAllText(web1.Dir["go"], "");
        first.Finish().ExitCode.ShouldBe(0);
        second.Finish().ExitCode.ShouldBe(0);

        var after = Status(web2);
        foreach (string id in new[] { "web-1", "web-2" })
        {
            var row = Row(after, id);
            Text(row, "outcome").ShouldBe(ReportOutcome.Done);
            row.GetProperty("holds_slot").GetBoolean().ShouldBeFalse();
            row.GetProperty("flags").GetArrayLength().ShouldBe(0);
            var report = row.GetProperty("report");
            report.GetProperty("last_update_at").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5));
            report.GetProperty("timeline").EnumerateArray().Select(e => Text(e, "step")).ShouldBe(
                ["lock_get", "pre_update", "update", "needs_reboot", "post_update", "lock_release", "needs_update"]);
        }

        after.GetProperty("flagged").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public void A_host_whose_post_update_fails_is_flagged_failed_with_its_script_and_status_and_status_exits_1()
    {
        var db1 = NewHost("db-1");

        var failed = db1.Update(new() { ["FAIL_IN"] = "post_update" });

        failed.ExitCode.ShouldBe(1, failed.ToString());
        var text = Fleet(db1, "status");
        text.ExitCode.ShouldBe(FleetExitStatus.Flagged, text.ToString());
        Line(text.Stdout, "db-1").ShouldContain("failed");
        Line(text.Stdout, "db-1").ShouldContain($"post_update: {db1.Dir["post_update.d/10-post-update"]} exited 3");
        var row = Row(Status(db1), "db-1");
        row.GetProperty("flags").EnumerateArray().Select(f => f.GetString()).ShouldBe([FleetFlags.Failed]);
        var failure = row.GetProperty("failure");
        Text(failure, "step").ShouldBe("post_update");
        Text(failure, "script").ShouldBe(db1.Dir["post_update.d/10-post-update"]);
        failure.GetProperty("status").GetInt32().ShouldBe(3);
        row.GetProperty("report").GetProperty("exit_status").GetInt32().ShouldBe(1);
    }

    [Fact]
    public void A_host_killed_while_holding_a_slot_becomes_silent_once_it_has_not_reported_for_silent_after()
    {
        // Long enough that the first look, a few CLI calls after the report, comes before it on a busy machine.
        var app1 = NewHost("app-1", fleet: "silent_after = 10\nstuck_after = 3600");
        using var run = app1.Start(new() { ["HOLD_IN"] = "update" });
        WaitFor(() => File.Exists(app1.Dir["held.pid"]), "the update script to start");
        WaitForRow(app1, "app-1", row => Text(row, "step") == "update");
        run.Kill();
        run.WaitForExit();
        KillPid(app1.Dir["held.pid"]);

        var fresh = Row(Status(app1), "app-1");
        fresh.GetProperty("flags").GetArrayLength().ShouldBe(0);
        Thread.Sleep(TimeSpan.FromSeconds(10.5));
        var status = Fleet(app1, "status");

        status.ExitCode.ShouldBe(FleetExitStatus.Flagged, status.ToString());
        Line(status.Stdout, "app-1").ShouldContain("silent");
        Line(status.Stdout, "app-1").ShouldContain("running");
        Line(status.Stdout, "app-1").ShouldNotContain("stuck");
    }

    [Fact]
    public void Pause_stops_new_hosts_at_lock_get_while_the_holder_finishes_and_resume_lets_them_go()
    {
        var web1 = NewHost("web-1");
        var web2 = NewHost("web-2");
        Gate(web1, "update");
        var first = Start(web1);
        WaitForRow(web1, "web-1", row => Text(row, "step") == "update");

        var paused = Fleet(web1, "pause", "--reason", "kernel 6.1.2 panics on db hosts");
        paused.ExitCode.ShouldBe(0, paused.ToString());
        var again = Fleet(web2, "pause", "--reason", "another reason");
        again.ExitCode.ShouldBe(0, again.ToString());
        again.Stdout.ShouldContain("already paused by ");
        again.Stdout.ShouldContain("kernel 6.1.2 panics on db hosts (kept; --force replaces it)");

        var second = Start(web2);
        WaitForLog(web2, "is paused by ");
        File.WriteAllText(web1.Dir["go"], "");
        first.Finish().ExitCode.ShouldBe(0);
        Thread.Sleep(500);
        second.HasExited.ShouldBeFalse();
        web2.State.ShouldNotBeNull().ShouldContain("\"step\": \"lock_get\"");
        File.ReadAllText(web2.LogFile).ShouldContain("(kernel 6.1.2 panics on db hosts)");
        var status = Fleet(web1, "status");
        status.Stdout.ShouldContain("paused: yes, by ");
        status.Stdout.ShouldContain(": kernel 6.1.2 panics on db hosts");

        Fleet(web1, "pause", "--force", "--reason", "db hosts fixed, watching web").ExitCode.ShouldBe(0);
        Fleet(web1, "status").Stdout.ShouldContain(": db hosts fixed, watching web");
        var resumed = Fleet(web1, "resume");
        resumed.ExitCode.ShouldBe(0, resumed.ToString());
        resumed.Stdout.ShouldContain("(paused by ");

        second.Finish().ExitCode.ShouldBe(0);
        Text(Row(Status(web1), "web-2"), "outcome").ShouldBe(ReportOutcome.Done);
        Fleet(web1, "resume").Stdout.ShouldContain("is not paused: nothing to resume");
    }

    [Fact]
    public async Task A_slot_held_by_an_id_that_never_reported_is_flagged_and_its_release_by_hand_is_audited()
    {
        var web1 = NewHost("web-1");
        web1.Update(new() { ["NO_UPDATES"] = "1" }).ExitCode.ShouldBe(0);
        const string ghost = "zincati node/7 ü";
        var other = Backend(web1, ghost);
        try
        {
            await other.AcquireAsync(LockName, ghost, default);
        }
        finally
        {
            await other.DisposeAsync();
        }

        var flagged = Fleet(web1, "status");
        flagged.ExitCode.ShouldBe(FleetExitStatus.Flagged, flagged.ToString());
        Line(flagged.Stdout, ghost).ShouldContain(FleetFlags.UnknownHolder);
        Line(flagged.Stdout, "web-1").ShouldContain(ReportOutcome.NothingToDo);

        var nothing = Lock(web1, "release", "--holder", "web-9", "--reason", "gone");
        nothing.ExitCode.ShouldBe(FleetExitStatus.NotHeld, nothing.ToString());
        nothing.Stderr.Trim().Split('\n').Length.ShouldBe(1);
        nothing.Stderr.ShouldContain("'web-9' holds no slot of lock");
        Lock(web1, "release", "--holder", ghost).ExitCode.ShouldBe(2);
        Lock(web1, "release", "--holder", "a\tb", "--reason", "x").ExitCode.ShouldBe(2);

        var released = Lock(web1, "release", "--holder", ghost, "--reason", "decommissioned in ticket 42");
        released.ExitCode.ShouldBe(0, released.ToString());

        var status = Fleet(web1, "status");
        status.ExitCode.ShouldBe(0, status.ToString());
        status.Stdout.ShouldContain($"audit {ghost}: released by ");
        status.Stdout.ShouldContain(": decommissioned in ticket 42");
        Text(Row(Status(web1), ghost).GetProperty("audit")[0], "reason").ShouldBe("decommissioned in ticket 42");
        status.Stdout.ShouldContain("holders: none");
    }

    [Fact]
    public async Task A_report_that_does_not_parse_is_shown_as_unreadable_and_left_in_place()
    {
        var web1 = NewHost("web-1");
        string key = FleetKeys.Host(LockName, "web-2");
        using (var store = Store(web1))
        {
            await store.PutAsync(key, "{\"holder\": 3"u8.ToArray(), default);
        }

        var status = Fleet(web1, "status");

        status.ExitCode.ShouldBe(0, status.ToString());
        Line(status.Stdout, "web-2").ShouldContain(ReportOutcome.Unreadable);
        status.Stderr.ShouldContain("the report of web-2 cannot be read");
        status.Stderr.ShouldContain("left in place");
        using (var store = Store(web1))
        {
            (await store.GetAsync(key, default)).ShouldNotBeNull().Value.ShouldBe("{\"holder\": 3"u8.ToArray());
        }
    }

    public void Dispose()
    {
        foreach (var run in _runs.Where(r => !r.HasExited))
        {
            run.Kill();
        }

        foreach (var host in _hosts)
        {
            host.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>A host of this test's fleet, updating under <see cref="LockName"/> as <paramref name="id"/>.</summary>
    private protected UpdateHost NewHost(string id, string fleet = "")
    {
        var host = new UpdateHost(
            extraMain: $"holder_id = {id}\nlock_wait_timeout = 60",
            backend: Engine with { Section = $"{Engine.Section}\n\n[fleet]\n{fleet}" },
            lockName: LockName);
        _hosts.Add(host);
        return host;
    }

    /// <summary>Makes <paramref name="step"/>'s scripts of <paramref name="host"/> wait until the file go exists in its directory.</summary>
    private protected static void Gate(UpdateHost host, string step) =>
        host.Dir.Script($"{step}.d/20-gate", $"while [ ! -e '{host.Dir["go"]}' ]; do sleep 0.05; done");

    private protected RunningUpdate Start(UpdateHost host, Dictionary<string, string?>? environment = null)
    {
        var run = new RunningUpdate(host.Start(environment));
        _runs.Add(run);
        return run;
    }

    private protected static CliResult Fleet(UpdateHost host, params string[] args) => LockstepCli.Run(["fleet", .. args, "--config", host.Config]);

    private protected static CliResult Lock(UpdateHost host, params string[] args) => LockstepCli.Run(["lock", .. args, "--config", host.Config]);

    /// <summary><c>lockstep fleet status --json</c> as <paramref name="host"/> sees it.</summary>
    private protected static JsonElement Status(UpdateHost host)
    {
        var result = Fleet(host, "status", "--json");
        result.ExitCode.ShouldBeOneOf([FleetExitStatus.Ok, FleetExitStatus.Flagged], result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        return json.RootElement.Clone();
    }

    protected static JsonElement Row(JsonElement status, string id) =>
        status.GetProperty("hosts").EnumerateArray().Single(h => h.GetProperty("host").GetString() == id);

    protected static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Waits until the host <paramref name="id"/> has a row that satisfies <paramref name="condition"/>.</summary>
    private protected static JsonElement WaitForRow(UpdateHost observer, string id, Func<JsonElement, bool> condition)
    {
        JsonElement found = default;
        WaitFor(
            () => Status(observer).GetProperty("hosts").EnumerateArray().Any(h => h.GetProperty("host").GetString() == id && condition(h) && (found = h.Clone()).ValueKind != 0),
            $"the report of {id}");
        return found;
    }

    private protected static void WaitForLog(UpdateHost host, string text) =>
        WaitFor(() => File.Exists(host.LogFile) && File.ReadAllText(host.LogFile).Contains(text, StringComparison.Ordinal), $"'{text}' in the log of {host.Dir.Path}");

    /// <summary>The table row of host <paramref name="id"/> in <c>fleet status</c>'s text.</summary>
    protected static string Line(string table, string id) =>
        table.Split('\n').Single(l => l.StartsWith(id + "  ", StringComparison.Ordinal));

    /// <summary>The engine's lock backend as another holder, configured as <paramref name="host"/> is.</summary>
    private protected static ILockBackend Backend(UpdateHost host, string holderId) =>
        LockBackendFactory.Create(IniFile.Load(host.Config), new LockBackendContext(holderId, TimeSpan.FromSeconds(5), new RecordingLog(), TimeProvider.System));

    /// <summary>The fleet store <paramref name="host"/> reports to.</summary>
    private protected static IFleetStore Store(UpdateHost host)
    {
        var ini = IniFile.Load(host.Config);
        return FleetStoreFactory.Create(ini, FleetOptions.From(ini), TimeSpan.FromSeconds(5), new RecordingLog(), TimeProvider.System)
            ?? throw new InvalidOperationException("the host has no fleet store");
    }

    /// <summary>Waits (at most 20 s) until <paramref name="condition"/> holds.</summary>
    private static void WaitFor(Func<bool> condition, string what)
    {
        if (!Eventually.Holds(condition, TimeSpan.FromSeconds(20)))
        {
            throw new TimeoutException($"gave up waiting for {what}");
        }
    }

    private static void KillPid(string pidFile)
    {
        try
        {
            System.Diagnostics.Process.GetProcessById(int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture)).Kill();
        }
        catch (ArgumentException)
        {
        }
    }
}
