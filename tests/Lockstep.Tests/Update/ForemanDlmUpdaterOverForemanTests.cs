using Lockstep.Update;

namespace Lockstep.Tests.Update;

/// <summary>
/// A host switching from foreman_dlm_updater to Lockstep against its Foreman server: its config.ini
/// (no backend, holder_id or timeouts: every default) and its one-word state file, taken as they are.
/// </summary>
public sealed class ForemanDlmUpdaterOverForemanTests : IDisposable
{
    private const string LegacyLock = "this_is_the_lock_name";
    private const string LegacyHost = "host.example.com";
    private readonly ForemanUpdateHost _host = new();

    public void Dispose() => _host.Dispose();

    private string StateFile => _host.Dir["state"];

    /// <summary>
    /// Writes foreman_dlm_updater's one-word state as it stands after the reboot it asked for:
    /// dated before this boot started (the real one: the config keeps boot_time_file's default, /proc/stat).
    /// </summary>
    private void WriteStateFromBeforeThisBoot(string word)
    {
        File.WriteAllText(StateFile, word);
        File.SetLastWriteTimeUtc(StateFile, BootTime.Read("/proc/stat").AddHours(-1).UtcDateTime);
    }

    [Fact]
    public void Its_config_ini_runs_the_whole_workflow_under_its_lock_on_the_server()
    {
        _host.WriteLegacyConfig();
        using var run = _host.Start(new() { ["GATE"] = "1" });
        foreach (string step in UpdateHost.Steps)
        {
            _host.ReachedGate(run, step).ShouldBeTrue(step);
            _host.Server.HolderOf(LegacyLock).ShouldBe(step == "needs_update" ? null : LegacyHost, step);
            _host.OpenGate(step);
        }

        var result = run.Finish();

        result.ExitCode.ShouldBe(0, result.ToString());
        _host.Ran.ShouldBe([
            "needs_update this_is_the_lock_name", "pre_update this_is_the_lock_name", "update this_is_the_lock_name",
            "needs_reboot this_is_the_lock_name", "post_update this_is_the_lock_name",
        ]);
        _host.Calls.ShouldBe(["PUT", "DELETE"]);
        _host.Server.Requests.ShouldAllBe(r => r.Target == $"/api/dlmlocks/{LegacyLock}/lock" && r.Host == LegacyHost);
        _host.Server.HolderOf(LegacyLock).ShouldBeNull();
        File.Exists(StateFile).ShouldBeFalse();
        File.ReadAllText(_host.Dir["legacy.log"]).ShouldContain("DEBUG");
    }

    [Theory]
    [InlineData("post_update\n", new[] { "post_update" })]
    [InlineData("update\n", new[] { "update", "needs_reboot", "post_update" })]
    [InlineData("pre_update", new[] { "pre_update", "update", "needs_reboot", "post_update" })]
    [InlineData("lock_release\n", new string[0])]
    public void Its_one_word_state_file_resumes_under_the_lock_it_holds_on_the_server_and_releases_it(string state, string[] steps)
    {
        _host.WriteLegacyConfig();
        WriteStateFromBeforeThisBoot(state);
        _host.Server.SetHolder(LegacyLock, LegacyHost);

        var result = _host.Update();

        result.ExitCode.ShouldBe(0, result.ToString());
        _host.Steps.ShouldBe(steps);
        _host.Calls.ShouldBe(steps.Length == 0 ? ["DELETE"] : ["PUT", "DELETE"]);
        _host.Server.HolderOf(LegacyLock).ShouldBeNull();
        File.Exists(StateFile).ShouldBeFalse();
    }

    [Fact]
    public void Its_post_update_state_at_boot_runs_post_update_with_its_after_reboot_flag()
    {
        _host.WriteLegacyConfig();
        WriteStateFromBeforeThisBoot("post_update\n");
        _host.Server.SetHolder(LegacyLock, LegacyHost);

        var result = _host.Update(null, "--after_reboot");

        result.ExitCode.ShouldBe(0, result.ToString());
        _host.Steps.ShouldBe(["post_update"]);
        _host.Server.HolderOf(LegacyLock).ShouldBeNull();
    }

    [Fact]
    public void A_failure_after_switching_keeps_the_lock_and_leaves_lockstep_state_that_the_next_run_finishes()
    {
        _host.WriteLegacyConfig();
        File.WriteAllText(StateFile, "update\n");
        _host.Server.SetHolder(LegacyLock, LegacyHost);

        var failed = _host.Update(new() { ["FAIL_IN"] = "update" });

        failed.ExitCode.ShouldBe(1, failed.ToString());
        _host.Server.HolderOf(LegacyLock).ShouldBe(LegacyHost);
        File.ReadAllText(StateFile).ShouldContain("update");
        File.ReadAllText(StateFile).ShouldNotContain("needs_reboot");

        var finished = _host.Update();

        finished.ExitCode.ShouldBe(0, finished.ToString());
        _host.Steps.ShouldBe(["update", "update", "needs_reboot", "post_update"]);
        _host.Server.HolderOf(LegacyLock).ShouldBeNull();
        _host.Calls.ShouldBe(["PUT", "PUT", "DELETE"]);
    }
}
