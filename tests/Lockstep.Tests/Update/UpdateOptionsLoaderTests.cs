using Lockstep.Config;
using Lockstep.Logging;
using Lockstep.Update;

namespace Lockstep.Tests.Update;

public sealed class UpdateOptionsLoaderTests
{
    /// <summary>The example config.ini of foreman_dlm_updater's README, as it is.</summary>
    internal const string ForemanDlmUpdaterConfig = """
        [main]
        log = /var/log/foreman_dlm_updater.log
        logretention = 7
        loglevel = DEBUG

        # prevents the script from running twice on the same host
        lock = /etc/foreman_dlm_updater/file.lock

        # this file keeps the state of the script (what is the next task to be executed)
        state = /etc/foreman_dlm_updater/state

        # the dlm lock that will be acquired
        lock_name = this_is_the_lock_name
        foreman_url = https://foreman.example.com

        client_crt = /etc/puppetlabs/puppet/ssl/certs/host.example.com.pem
        client_key = /etc/puppetlabs/puppet/ssl/private_keys/host.example.com.pem
        ca = /etc/ipa/ca.crt

        needs_update.d = /etc/foreman_dlm_updater/needs_update.d/
        pre_update.d = /etc/foreman_dlm_updater/pre_update.d/
        post_update.d = /etc/foreman_dlm_updater/post_update.d/
        needs_reboot.d = /etc/foreman_dlm_updater/needs_reboot.d/
        update.d = /etc/foreman_dlm_updater/update.d/
        reboot_cmd = /usr/sbin/reboot
        """;

    private static UpdateOptions Load(string text, string path = "/etc/lockstep/update.ini") => UpdateOptionsLoader.Load(IniFile.Parse(path, text));

    [Fact]
    public void Foreman_dlm_updaters_config_ini_is_read_as_it_is()
    {
        var options = Load(ForemanDlmUpdaterConfig, "/etc/foreman_dlm_updater/config.ini");

        options.LogPath.ShouldBe("/var/log/foreman_dlm_updater.log");
        options.LogRetentionDays.ShouldBe(7);
        options.LogLevel.ShouldBe(LogLevel.Debug);
        options.RunLockPath.ShouldBe("/etc/foreman_dlm_updater/file.lock");
        options.StatePath.ShouldBe("/etc/foreman_dlm_updater/state");
        options.LockName.ShouldBe("this_is_the_lock_name");
        options.ScriptDirectories[UpdateStep.NeedsUpdate].ShouldBe("/etc/foreman_dlm_updater/needs_update.d");
        options.ScriptDirectories[UpdateStep.PreUpdate].ShouldBe("/etc/foreman_dlm_updater/pre_update.d");
        options.ScriptDirectories[UpdateStep.Update].ShouldBe("/etc/foreman_dlm_updater/update.d");
        options.ScriptDirectories[UpdateStep.NeedsReboot].ShouldBe("/etc/foreman_dlm_updater/needs_reboot.d");
        options.ScriptDirectories[UpdateStep.PostUpdate].ShouldBe("/etc/foreman_dlm_updater/post_update.d");
        options.RebootCommand.ShouldBe(["/usr/sbin/reboot"]);
        options.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Defect_8_runtime_files_default_to_FHS_paths_not_etc()
    {
        var options = Load("[main]\nlock_name = fleet\nholder_id = h\n");

        options.StatePath.ShouldBe("/var/lib/lockstep/update.state");
        options.RunLockPath.ShouldBe("/run/lockstep/update.lock");
        options.LogPath.ShouldBe("/var/log/lockstep/update.log");
        new[] { options.StatePath, options.RunLockPath, options.LogPath }.ShouldAllBe(p => !p.StartsWith("/etc/"));
    }

    [Fact]
    public void Absent_keys_take_the_documented_defaults()
    {
        var options = Load("[main]\nlock_name = fleet\nholder_id = h\n", "/etc/lockstep/update.ini");

        options.LogRetentionDays.ShouldBe(7);
        options.LogLevel.ShouldBe(LogLevel.Info);
        options.HolderId.ShouldBe("h");
        options.ScriptDirectories[UpdateStep.PostUpdate].ShouldBe("/etc/lockstep/post_update.d");
        options.RebootCommand.ShouldBe(["systemctl", "reboot"]);
        options.ScriptTimeout.ShouldBe(TimeSpan.FromSeconds(3600));
        options.KillGrace.ShouldBe(TimeSpan.FromSeconds(10));
        options.HttpTimeout.ShouldBe(TimeSpan.FromSeconds(30));
        options.LockRetryInterval.ShouldBe(TimeSpan.FromSeconds(60));
        options.LockWaitTimeout.ShouldBeNull();
        options.BootIdFile.ShouldBe("/proc/sys/kernel/random/boot_id");
        options.BootTimeFile.ShouldBe("/proc/stat");
    }

    [Fact]
    public void Lockstep_settings_share_the_main_section()
    {
        var options = Load("""
            [main]
            backend = local
            lock_name = fleet
            holder_id = web-1
            script_timeout = 0
            http_timeout = 2.5
            lock_retry_interval = 0.2
            lock_wait_timeout = 600
            kill_grace = 1
            boot_id_file = /tmp/boot_id
            boot_time_file = /tmp/stat
            reboot_cmd = shutdown -r '+5' "kernel update"
            """);

        options.ScriptTimeout.ShouldBeNull();
        options.HttpTimeout.ShouldBe(TimeSpan.FromSeconds(2.5));
        options.LockRetryInterval.ShouldBe(TimeSpan.FromSeconds(0.2));
        options.LockWaitTimeout.ShouldBe(TimeSpan.FromMinutes(10));
        options.KillGrace.ShouldBe(TimeSpan.FromSeconds(1));
        options.BootIdFile.ShouldBe("/tmp/boot_id");
        options.BootTimeFile.ShouldBe("/tmp/stat");
        options.RebootCommand.ShouldBe(["shutdown", "-r", "+5", "kernel update"]);
        options.HolderId.ShouldBe("web-1");
    }

    [Fact]
    public void Relative_paths_are_relative_to_the_config_files_directory()
    {
        var options = Load("[main]\nlock_name = fleet\nholder_id = h\nstate = var/update.state\nupdate.d = ../scripts/update.d/\n", "/srv/example/update.ini");

        options.StatePath.ShouldBe("/srv/example/var/update.state");
        options.ScriptDirectories[UpdateStep.Update].ShouldBe("/srv/scripts/update.d");
    }

    [Theory]
    [InlineData("script_timeout = soon", "/etc/lockstep/update.ini:3: [main] script_timeout = 'soon' is not a number of seconds")]
    [InlineData("script_timeout = -1", "/etc/lockstep/update.ini:3: [main] script_timeout = '-1' is not a number of seconds")]
    [InlineData("http_timeout = 0", "/etc/lockstep/update.ini:3: [main] http_timeout = '0': a hung server must not block the fleet")]
    [InlineData("lock_retry_interval = 0", "/etc/lockstep/update.ini:3: [main] lock_retry_interval = '0' must be more than 0 seconds")]
    [InlineData("logretention = a week", "/etc/lockstep/update.ini:3: [main] logretention = 'a week' is not a whole number 0 or more")]
    [InlineData("loglevel = LOUD", "/etc/lockstep/update.ini:3: [main] loglevel = 'LOUD' is not a log level; use DEBUG, INFO, WARNING, ERROR or CRITICAL")]
    [InlineData("reboot_cmd = shutdown -r 'now", "/etc/lockstep/update.ini:3: [main] reboot_cmd = 'shutdown -r 'now' cannot be split into arguments (unterminated ' at offset 12)")]
    [InlineData("reboot_cmd = \"\"", "/etc/lockstep/update.ini:3: [main] reboot_cmd is empty")]
    [InlineData("state =", "/etc/lockstep/update.ini:3: [main] state is empty")]
    [InlineData("holder_id =", "/etc/lockstep/update.ini:3: [main] holder_id is empty")]
    public void A_bad_value_is_reported_with_file_line_section_and_key(string line, string message)
    {
        var error = Should.Throw<ConfigException>(() => Load($"[main]\nlock_name = fleet\n{line}\n"));

        error.Message.ShouldStartWith(message);
    }

    [Fact]
    public void Lock_name_is_required_as_in_foreman_dlm_updater() =>
        Should.Throw<ConfigException>(() => Load("[main]\nholder_id = h\n")).Message
            .ShouldStartWith("/etc/lockstep/update.ini: [main] lock_name is missing; set it to the name of the fleet-wide lock");

    [Fact]
    public void A_config_without_a_main_section_is_refused() =>
        Should.Throw<ConfigException>(() => Load("[local]\npath = x\n")).Message.ShouldContain("no [main] section");

    [Fact]
    public void Unknown_keys_are_warned_about_with_their_place()
    {
        var options = Load("[main]\nholder_id = h\nscript_timout = 5\nlock_name = fleet\n");

        options.Warnings.ShouldBe(["/etc/lockstep/update.ini:3: [main] script_timout: unknown setting, ignored (a typo?)"]);
    }
}
