using Lockstep.Tests.Support;

namespace Lockstep.Tests.Update;

/// <summary>A host switching from foreman_dlm_updater: its config.ini and its one-word state file are taken as they are.</summary>
public sealed class ForemanDlmUpdaterMigrationTests : IDisposable
{
    private readonly UpdateHost _host = new();

    public void Dispose() => _host.Dispose();

    /// <summary>foreman_dlm_updater's example config.ini with its paths moved into the test directory and the local backend added.</summary>
    private string WriteLegacyConfig()
    {
        string root = _host.Dir.Path;
        string text = UpdateOptionsLoaderTests.ForemanDlmUpdaterConfig
            .Replace("/etc/foreman_dlm_updater/", root + "/", StringComparison.Ordinal)
            .Replace("/var/log/foreman_dlm_updater.log", root + "/legacy.log", StringComparison.Ordinal)
            .Replace("/usr/sbin/reboot", _host.Dir["bin/fake-reboot"], StringComparison.Ordinal);
        text.ShouldNotContain("/usr/sbin/reboot");
        text += $"\nbackend = local\nholder_id = {UpdateHost.Holder}\nboot_id_file = boot_id\nboot_time_file = stat\n\n[local]\npath = var/local.lock\n";
        _host.Dir.File("stat", $"cpu  1 2 3 4\nbtime {BootStarted.ToUnixTimeSeconds()}\nprocesses 9\n");
        return _host.Dir.File("config.ini", text);
    }

    /// <summary>When this test's boot started, as the kernel gives it (/proc/stat's btime).</summary>
    private static DateTimeOffset BootStarted { get; } = DateTimeOffset.UtcNow.AddMinutes(-10);

    /// <summary>Writes foreman_dlm_updater's one-word state; with <paramref name="beforeBoot"/>, dated before this boot started.</summary>
    private void WriteOneWordState(string word, bool beforeBoot)
    {
        File.WriteAllText(_host.Dir["state"], word);
        if (beforeBoot)
        {
            File.SetLastWriteTimeUtc(_host.Dir["state"], BootStarted.AddMinutes(-5).UtcDateTime);
        }
    }

    /// <summary>A host foreman_dlm_updater left at post_update since this boot started (its reboot_cmd failed), holding the lock.</summary>
    private string LeftAtPostUpdateSinceThisBoot()
    {
        string config = WriteLegacyConfig();
        WriteOneWordState("post_update\n", beforeBoot: false);
        _host.WriteLockFile(UpdateHost.Holder, "this_is_the_lock_name");
        return config;
    }

    private CliResult Run(string config, params string[] args) =>
        LockstepCli.Run(["update", "--cfg", config, .. args]);

    [Fact]
    public void Its_config_ini_runs_the_whole_workflow()
    {
        string config = WriteLegacyConfig();

        var result = Run(config);

        result.ExitCode.ShouldBe(0, result.ToString());
        _host.Ran.ShouldBe([
            "needs_update free this_is_the_lock_name", "pre_update locked this_is_the_lock_name", "update locked this_is_the_lock_name",
            "needs_reboot locked this_is_the_lock_name", "post_update locked this_is_the_lock_name",
        ]);
        File.ReadAllText(_host.Dir["legacy.log"]).ShouldContain("DEBUG");
        File.Exists(_host.Dir["file.lock"]).ShouldBeTrue();
        File.Exists(_host.Dir["state"]).ShouldBeFalse();
    }

    [Theory]
    [InlineData("post_update\n", new[] { "post_update" })]
    [InlineData("update\n", new[] { "update", "needs_reboot", "post_update" })]
    [InlineData("do_update\n", new[] { "update", "needs_reboot", "post_update" })]
    [InlineData("lock_release\n", new string[0])]
    public void Its_one_word_state_file_is_resumed_under_the_lock_it_holds(string state, string[] steps)
    {
        string config = WriteLegacyConfig();
        WriteOneWordState(state, beforeBoot: true);
        _host.WriteLockFile(UpdateHost.Holder, "this_is_the_lock_name");

        var result = Run(config);

        result.ExitCode.ShouldBe(0, result.ToString());
        _host.Ran.Select(l => l.Split(' ')[0]).ShouldBe(steps);
        File.Exists(_host.Dir["state"]).ShouldBeFalse();
        File.ReadAllText(_host.LockFile).ShouldNotContain(UpdateHost.Holder);
    }

    [Fact]
    public void Its_after_reboot_flag_is_accepted()
    {
        string config = WriteLegacyConfig();
        WriteOneWordState("post_update\n", beforeBoot: true);

        var result = Run(config, "--after_reboot");

        result.ExitCode.ShouldBe(0, result.ToString());
        _host.Ran.Select(l => l.Split(' ')[0]).ShouldBe(["post_update"]);
    }

    [Fact]
    public void Defect_4_its_post_update_written_since_this_boot_started_is_a_reboot_still_pending_so_the_reboot_step_runs_again()
    {
        // foreman_dlm_updater writes post_update, then runs reboot_cmd: one that failed leaves this file behind.
        string config = LeftAtPostUpdateSinceThisBoot();

        var result = Run(config);

        result.ExitCode.ShouldBe(5, result.ToString());
        _host.Ran.Select(l => l.Split(' ')[0]).ShouldBe(["reboot"]);
        result.Stderr.ShouldContain("says post_update, written at ");
        result.Stderr.ShouldContain("the host has not rebooted since");
        File.ReadAllText(_host.Dir["state"]).ShouldContain("\"boot_id\": \"boot-1\"");
        File.ReadAllText(_host.LockFile).ShouldContain(UpdateHost.Holder);

        _host.Reboot();
        var afterReboot = Run(config, "--after_reboot");

        afterReboot.ExitCode.ShouldBe(0, afterReboot.ToString());
        _host.Ran.Select(l => l.Split(' ')[0]).ShouldBe(["reboot", "post_update"]);
        File.Exists(_host.Dir["state"]).ShouldBeFalse();
        File.ReadAllText(_host.LockFile).ShouldNotContain(UpdateHost.Holder);
    }

    [Fact]
    public void Its_post_update_written_since_this_boot_started_keeps_after_reboot_waiting_for_the_reboot()
    {
        string config = LeftAtPostUpdateSinceThisBoot();

        var result = Run(config, "--after_reboot");

        result.ExitCode.ShouldBe(5, result.ToString());
        _host.Ran.ShouldBeEmpty();
        result.Stderr.ShouldContain("the host has not rebooted since reboot_cmd ran");
        File.ReadAllText(_host.LockFile).ShouldContain(UpdateHost.Holder);
    }

    [Fact]
    public void Assume_rebooted_takes_its_post_update_as_after_the_reboot_whenever_it_was_written()
    {
        string config = LeftAtPostUpdateSinceThisBoot();

        var result = Run(config, "--assume-rebooted");

        result.ExitCode.ShouldBe(0, result.ToString());
        _host.Ran.Select(l => l.Split(' ')[0]).ShouldBe(["post_update"]);
        result.Stderr.ShouldContain("--assume-rebooted says its reboot has happened");
        File.ReadAllText(_host.LockFile).ShouldNotContain(UpdateHost.Holder);
    }
}
