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
        text += $"\nbackend = local\nholder_id = {UpdateHost.Holder}\nboot_id_file = boot_id\n\n[local]\npath = var/local.lock\n";
        return _host.Dir.File("config.ini", text);
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
        File.WriteAllText(_host.Dir["state"], state);
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
        File.WriteAllText(_host.Dir["state"], "post_update\n");

        var result = Run(config, "--after_reboot");

        result.ExitCode.ShouldBe(0, result.ToString());
        _host.Ran.Select(l => l.Split(' ')[0]).ShouldBe(["post_update"]);
    }
}
