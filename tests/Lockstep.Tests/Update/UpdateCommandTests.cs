using Lockstep.Tests.Support;

namespace Lockstep.Tests.Update;

/// <summary>The workflow through the real command line, with backend = local.</summary>
public sealed class UpdateCommandTests : IDisposable
{
    private static readonly Dictionary<string, string?> NeedsReboot = new() { ["REBOOT"] = "1" };
    private readonly UpdateHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public void The_whole_workflow_without_a_reboot_runs_every_step_under_the_lock_and_releases_it()
    {
        var result = _host.Update();

        result.ExitCode.ShouldBe(0, result.ToString());
        _host.Ran.ShouldBe([
            "needs_update free fleet", "pre_update locked fleet", "update locked fleet", "needs_reboot locked fleet", "post_update locked fleet",
        ]);
        _host.LockHolder.ShouldBeNull();
        _host.State.ShouldBeNull();
        result.Stderr.ShouldContain("update finished: lock 'fleet' released, state cleared");
        result.Stderr.ShouldNotContain(" ERROR: "); // needs_update's exit 1 is an answer, not a failure
        File.ReadAllText(_host.LogFile).ShouldContain("update finished");
    }

    [Fact]
    public void Without_needs_update_scripts_there_is_nothing_to_do()
    {
        File.Delete(_host.Dir["needs_update.d/10-needs-update"]);

        var result = _host.Update();

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stderr.ShouldContain("no needs_update scripts in " + _host.Dir["needs_update.d"] + ": nothing to do");
        _host.Ran.ShouldBeEmpty();
        _host.State.ShouldBeNull();
    }

    [Fact]
    public void Without_needs_reboot_scripts_the_host_always_reboots()
    {
        File.Delete(_host.Dir["needs_reboot.d/10-needs-reboot"]);

        var result = _host.Update();

        result.ExitCode.ShouldBe(5, result.ToString());
        _host.Ran[^1].ShouldBe("reboot --now locked");
    }

    [Fact]
    public void Scripts_output_goes_to_stdout_and_lockstep_lines_to_stderr()
    {
        _host.Dir.Script("update.d/20-say", "echo installing");

        var result = _host.Update();

        result.Stdout.ShouldBe("installing\n");
        result.Stderr.ShouldContain("update: running the scripts of");
    }

    [Fact]
    public void Nothing_to_do_when_every_needs_update_script_exits_0()
    {
        var result = _host.Update(new() { ["NO_UPDATES"] = "1" });

        result.ExitCode.ShouldBe(0, result.ToString());
        _host.Ran.ShouldBe(["needs_update free fleet"]);
        result.Stderr.ShouldContain("no updates needed");
        _host.State.ShouldBeNull();
        _host.LockHolder.ShouldBeNull();
    }

    [Fact]
    public void A_reboot_is_recorded_before_reboot_cmd_and_post_update_waits_for_a_new_boot_id()
    {
        var first = _host.Update(NeedsReboot);

        first.ExitCode.ShouldBe(5, first.ToString());
        first.Stderr.ShouldContain("reboot_cmd '" + _host.Dir["bin/fake-reboot"] + " --now' returned and the host is still up; lock 'fleet' stays held");
        _host.Ran.ShouldBe([
            "needs_update free fleet", "pre_update locked fleet", "update locked fleet", "needs_reboot locked fleet", "reboot --now locked",
        ]);
        _host.State.ShouldNotBeNull().ShouldContain("\"step\": \"post_update\"");
        _host.State.ShouldNotBeNull().ShouldContain("\"boot_id\": \"boot-1\"");
        _host.LockHolder.ShouldBe(UpdateHost.Holder);

        var tooEarly = _host.Update(null, "--after-reboot");
        tooEarly.ExitCode.ShouldBe(5, tooEarly.ToString());
        tooEarly.Stderr.ShouldContain("the host has not rebooted since reboot_cmd ran");
        _host.Ran.Length.ShouldBe(5);

        _host.Reboot();
        var afterReboot = _host.Update(null, "--after-reboot");

        afterReboot.ExitCode.ShouldBe(0, afterReboot.ToString());
        afterReboot.Stderr.ShouldContain("the host has rebooted (boot id boot-1 -> boot-2)");
        _host.Ran[5..].ShouldBe(["post_update locked fleet"]);
        _host.LockHolder.ShouldBeNull();
        _host.State.ShouldBeNull();
    }

    [Fact]
    public void A_run_without_a_reboot_since_reboot_cmd_runs_the_reboot_step_again()
    {
        _host.Update(NeedsReboot).ExitCode.ShouldBe(5);

        var again = _host.Update();

        again.ExitCode.ShouldBe(5, again.ToString());
        _host.Ran.Count(l => l == "reboot --now locked").ShouldBe(2);
        _host.Ran.ShouldNotContain("post_update locked fleet");
        again.Stderr.ShouldContain("running the reboot step again");
    }

    [Fact]
    public void Assume_rebooted_runs_post_update_without_a_new_boot_id()
    {
        _host.Update(NeedsReboot).ExitCode.ShouldBe(5);

        var result = _host.Update(null, "--assume-rebooted");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stderr.ShouldContain("--assume-rebooted says the host has rebooted");
        _host.Ran[^1].ShouldBe("post_update locked fleet");
        _host.LockHolder.ShouldBeNull();
    }

    [Fact]
    public void After_reboot_is_silent_and_does_nothing_when_no_update_is_in_progress()
    {
        var result = _host.Update(null, "--after-reboot");

        result.ShouldBe(new CliResult(0, "", ""));
        _host.Ran.ShouldBeEmpty();
    }

    [Fact]
    public void After_reboot_is_silent_and_does_nothing_when_the_update_is_not_at_post_update()
    {
        _host.Update(new() { ["FAIL_IN"] = "update" }).ExitCode.ShouldBe(1);
        string? state = _host.State;

        var result = _host.Update(null, "--after-reboot");

        result.ShouldBe(new CliResult(0, "", ""));
        _host.Ran.Length.ShouldBe(3);
        _host.State.ShouldBe(state);
        _host.LockHolder.ShouldBe(UpdateHost.Holder);
    }

    [Fact]
    public void After_reboot_is_silent_and_does_nothing_while_another_run_holds_the_run_lock_before_post_update()
    {
        using var first = _host.Start(new() { ["HOLD_IN"] = "update" });
        Eventually.WaitFor(() => File.Exists(_host.Dir["held.pid"]), "the first run to reach update");

        var atBoot = _host.Update(null, "--after-reboot");

        first.Kill(entireProcessTree: true);
        UpdateHost.KillHeldScript(_host.Dir);
        atBoot.ShouldBe(new CliResult(0, "", ""));
        _host.Ran.ShouldBe(["needs_update free fleet", "pre_update locked fleet", "update locked fleet"]);
    }

    [Fact]
    public void After_reboot_is_silent_and_does_nothing_while_another_run_is_in_post_update()
    {
        _host.Update(NeedsReboot).ExitCode.ShouldBe(5);
        _host.Reboot();
        using var first = _host.Start(new() { ["HOLD_IN"] = "post_update" });
        Eventually.WaitFor(() => File.Exists(_host.Dir["held.pid"]), "the first run to reach post_update");

        var atBoot = _host.Update(null, "--after-reboot");

        first.Kill(entireProcessTree: true);
        UpdateHost.KillHeldScript(_host.Dir);
        atBoot.ShouldBe(new CliResult(0, "", ""));
        _host.Ran.Count(l => l.StartsWith("post_update", StringComparison.Ordinal)).ShouldBe(1);
        _host.State.ShouldNotBeNull().ShouldContain("\"step\": \"post_update\"");
    }

    [Fact]
    public void A_failing_step_keeps_the_lock_and_the_next_run_retries_that_step()
    {
        var failed = _host.Update(new() { ["FAIL_IN"] = "update" });

        failed.ExitCode.ShouldBe(1, failed.ToString());
        failed.Stderr.ShouldContain($"update failed ({_host.Dir["update.d/10-update"]} exited 3); lock 'fleet' stays held so the rollout stops here");
        _host.LockHolder.ShouldBe(UpdateHost.Holder);
        _host.State.ShouldNotBeNull().ShouldContain("\"step\": \"update\"");

        var retried = _host.Update();

        retried.ExitCode.ShouldBe(0, retried.ToString());
        _host.Ran.ShouldBe([
            "needs_update free fleet", "pre_update locked fleet", "update locked fleet",
            "update locked fleet", "needs_reboot locked fleet", "post_update locked fleet",
        ]);
        retried.Stderr.ShouldContain("resuming an update at update");
        _host.LockHolder.ShouldBeNull();
    }

    [Fact]
    public void A_failing_post_update_keeps_the_lock_after_the_reboot()
    {
        _host.Update(NeedsReboot).ExitCode.ShouldBe(5);
        _host.Reboot();

        var failed = _host.Update(new() { ["FAIL_IN"] = "post_update" }, "--after-reboot");
        var retried = _host.Update();

        failed.ExitCode.ShouldBe(1, failed.ToString());
        retried.ExitCode.ShouldBe(0, retried.ToString());
        _host.Ran.Count(l => l == "post_update locked fleet").ShouldBe(2);
        _host.Ran.Count(l => l == "reboot --now locked").ShouldBe(1);
    }

    [Fact]
    public void Scripts_see_the_step_and_the_lock_name()
    {
        _host.Dir.Script("pre_update.d/20-env", $"echo \"$LOCKSTEP_STEP/$LOCKSTEP_LOCK_NAME\" > '{_host.Dir["env.txt"]}'");

        _host.Update().ExitCode.ShouldBe(0);

        File.ReadAllText(_host.Dir["env.txt"]).ShouldBe("pre_update/fleet\n");
    }

    [Fact]
    public void A_second_run_while_one_is_running_exits_11_at_once()
    {
        using var first = _host.Start(new() { ["HOLD_IN"] = "pre_update" });
        Eventually.WaitFor(() => File.Exists(_host.Dir["held.pid"]), "the first run to reach pre_update");

        var second = _host.Update();

        first.Kill(entireProcessTree: true);
        UpdateHost.KillHeldScript(_host.Dir);
        second.ExitCode.ShouldBe(11, second.ToString());
        second.Stderr.ShouldContain($"another lockstep update is running (pid {first.Id} holds {_host.Dir["var/run/update.lock"]}); this run did nothing");
        _host.Ran.ShouldBe(["needs_update free fleet", "pre_update locked fleet"]);
    }

    [Fact]
    public void Runtime_files_are_private()
    {
        _host.Update(new() { ["FAIL_IN"] = "update" }).ExitCode.ShouldBe(1);

        var privateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var privateDir = privateFile | UnixFileMode.UserExecute;
        File.GetUnixFileMode(_host.StatePath).ShouldBe(privateFile);
        File.GetUnixFileMode(_host.Dir["var/run/update.lock"]).ShouldBe(privateFile);
        File.GetUnixFileMode(_host.LogFile).ShouldBe(privateFile);
        File.GetUnixFileMode(_host.LockFile).ShouldBe(privateFile);
        File.GetUnixFileMode(_host.Dir["var"]).ShouldBe(privateDir);
        File.GetUnixFileMode(_host.Dir["var/log"]).ShouldBe(privateDir);
    }
}
