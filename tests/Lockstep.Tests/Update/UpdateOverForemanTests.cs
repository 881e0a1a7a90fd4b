namespace Lockstep.Tests.Update;

/// <summary>The update workflow through the real command line against a Foreman DLM server (client certificates, TLS verified against ca).</summary>
public sealed class UpdateOverForemanTests : IDisposable
{
    private static readonly Dictionary<string, string?> NeedsReboot = new() { ["REBOOT"] = "1" };
    private readonly ForemanUpdateHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public void Every_step_after_needs_update_runs_while_the_server_shows_this_host_holding_the_lock()
    {
        using var run = _host.Start(new() { ["GATE"] = "1" });
        var seen = new List<string>();
        foreach (string step in UpdateHost.Steps)
        {
            if (!_host.ReachedGate(run, step))
            {
                throw new ShouldAssertException($"{step} never ran\n{run.Finish()}");
            }

            seen.Add($"{step}: holder {_host.Holder ?? "none"}, calls [{string.Join(' ', _host.Calls)}]");
            _host.OpenGate(step);
        }

        var result = run.Finish();

        result.ExitCode.ShouldBe(0, result.ToString());
        seen.ShouldBe([
            "needs_update: holder none, calls []",
            "pre_update: holder db-1.example.com, calls [PUT]",
            "update: holder db-1.example.com, calls [PUT]",
            "needs_reboot: holder db-1.example.com, calls [PUT]",
            "post_update: holder db-1.example.com, calls [PUT]",
        ]);
        _host.Calls.ShouldBe(["PUT", "DELETE"]);
        _host.Holder.ShouldBeNull();
        _host.State.ShouldBeNull();
        _host.Ran.ShouldBe(["needs_update fleet/db", "pre_update fleet/db", "update fleet/db", "needs_reboot fleet/db", "post_update fleet/db"]);
        result.Stderr.ShouldContain("update finished: lock 'fleet/db' released, state cleared");
        result.Stderr.ShouldNotContain(" ERROR: ");
    }

    [Fact]
    public void Every_call_names_the_lock_path_encoded_as_this_host_with_the_json_content_type()
    {
        _host.Update().ExitCode.ShouldBe(0);

        _host.Server.Requests.ShouldAllBe(r => r.Target == "/api/dlmlocks/fleet%2Fdb/lock" && r.Host == ForemanUpdateHost.Host);
        _host.Server.Requests.Where(r => r.Method != "GET").ShouldAllBe(r => r.ContentType!.StartsWith("application/json"));
    }

    [Fact]
    public void Nothing_to_do_touches_no_lock()
    {
        var result = _host.Update(new() { ["NO_UPDATES"] = "1" });

        result.ExitCode.ShouldBe(0, result.ToString());
        _host.Calls.ShouldBeEmpty();
        _host.Steps.ShouldBe(["needs_update"]);
    }

    [Fact]
    public void A_reboot_stops_with_status_5_holding_the_lock_and_after_the_reboot_post_update_runs_and_releases_it()
    {
        var first = _host.Update(NeedsReboot);

        first.ExitCode.ShouldBe(5, first.ToString());
        _host.Ran.ShouldBe(["needs_update fleet/db", "pre_update fleet/db", "update fleet/db", "needs_reboot fleet/db", "reboot --now"]);
        _host.Holder.ShouldBe(ForemanUpdateHost.Host);
        _host.Calls.ShouldBe(["PUT"]);
        _host.State.ShouldNotBeNull().ShouldContain("\"step\": \"post_update\"");
        first.Stderr.ShouldContain("lock 'fleet/db' stays held");

        var tooEarly = _host.Update(null, "--after-reboot");

        tooEarly.ExitCode.ShouldBe(5, tooEarly.ToString());
        tooEarly.Stderr.ShouldContain("the host has not rebooted since reboot_cmd ran");
        _host.Steps.ShouldNotContain("post_update");
        _host.Holder.ShouldBe(ForemanUpdateHost.Host);

        _host.Reboot();
        var afterReboot = _host.Update(null, "--after-reboot");

        afterReboot.ExitCode.ShouldBe(0, afterReboot.ToString());
        afterReboot.Stderr.ShouldContain("the host has rebooted (boot id boot-1 -> boot-2)");
        _host.Steps.ShouldBe(["needs_update", "pre_update", "update", "needs_reboot", "reboot", "post_update"]);
        _host.Holder.ShouldBeNull();
        _host.Calls.ShouldBe(["PUT", "PUT", "DELETE"]);
        _host.State.ShouldBeNull();

        var atNextBoot = _host.Update(null, "--after-reboot");

        atNextBoot.ShouldBe(new Support.CliResult(0, "", ""));
        _host.Calls.Length.ShouldBe(3);
    }

    [Theory]
    [InlineData("pre_update")]
    [InlineData("update")]
    [InlineData("post_update")]
    public void A_failing_step_keeps_the_lock_on_the_server_and_the_next_run_retries_that_step_and_finishes(string step)
    {
        var failed = _host.Update(new() { ["FAIL_IN"] = step });

        failed.ExitCode.ShouldBe(1, failed.ToString());
        failed.Stderr.ShouldContain($"{step} failed ({_host.Dir[$"{step}.d/10-{step.Replace('_', '-')}"]} exited 3); lock 'fleet/db' stays held");
        _host.Holder.ShouldBe(ForemanUpdateHost.Host);
        _host.Calls.ShouldBe(["PUT"]);
        _host.State.ShouldNotBeNull().ShouldContain($"\"step\": \"{step}\"");

        var retried = _host.Update();

        retried.ExitCode.ShouldBe(0, retried.ToString());
        string[] all = ["needs_update", "pre_update", "update", "needs_reboot", "post_update"];
        int failedAt = Array.IndexOf(all, step);
        _host.Steps.ShouldBe([.. all[..(failedAt + 1)], .. all[failedAt..]]);
        _host.Calls.ShouldBe(["PUT", "PUT", "DELETE"]);
        _host.Holder.ShouldBeNull();
        _host.State.ShouldBeNull();
    }
}
