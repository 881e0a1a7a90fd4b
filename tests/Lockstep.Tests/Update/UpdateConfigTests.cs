using Lockstep.Tests.Support;

namespace Lockstep.Tests.Update;

/// <summary>Bad configuration through the command line: one line naming file, line and key; exit 3; nothing run.</summary>
public sealed class UpdateConfigTests : IDisposable
{
    private readonly UpdateHost _host = new();

    public void Dispose() => _host.Dispose();

    private CliResult RunWith(string extraMain) => RunWith(extraMain, out _);

    private CliResult RunWith(string extraMain, out int lineOfExtra)
    {
        using var host = new UpdateHost(extraMain);
        lineOfExtra = Array.IndexOf(File.ReadAllLines(host.Config), extraMain) + 1;
        var result = host.Update();
        host.Ran.ShouldBeEmpty();
        return result;
    }

    [Theory]
    [InlineData("script_timeout = forever", "[main] script_timeout = 'forever' is not a number of seconds from 0 to 2000000 (about 23 days); fix the value")]
    [InlineData("script_timeout = 1e300", "[main] script_timeout = '1e300' is not a number of seconds from 0 to 2000000 (about 23 days); fix the value")]
    [InlineData("kill_grace = 1e300", "[main] kill_grace = '1e300' is not a number of seconds from 0 to 2000000 (about 23 days); fix the value")]
    [InlineData("lock_wait_timeout = 1e300", "[main] lock_wait_timeout = '1e300' is not a number of seconds from 0 to 2000000 (about 23 days); fix the value")]
    [InlineData("lock_retry_interval = 1e300", "[main] lock_retry_interval = '1e300' is not a number of seconds from 0 to 2000000 (about 23 days); fix the value")]
    [InlineData("http_timeout = 1e300", "[main] http_timeout = '1e300' is not a number of seconds from 0 to 2000000 (about 23 days); fix the value")]
    [InlineData("lock_wait_timeout = 2000001", "[main] lock_wait_timeout = '2000001' is not a number of seconds from 0 to 2000000 (about 23 days); fix the value")]
    [InlineData("script_timeout = NaN", "[main] script_timeout = 'NaN' is not a number of seconds from 0 to 2000000 (about 23 days); fix the value")]
    [InlineData("lock_retry_interval = 0", "[main] lock_retry_interval = '0' must be more than 0 seconds; fix the value")]
    [InlineData("loglevel = chatty", "[main] loglevel = 'chatty' is not a log level; use DEBUG, INFO, WARNING, ERROR or CRITICAL")]
    [InlineData("logretention = -1", "[main] logretention = '-1' is not a whole number 0 or more; fix the value")]
    [InlineData("log = %(logdir)s/update.log", "[main] log = '%(logdir)s/update.log' refers to %(logdir)s, which neither [main] nor [DEFAULT] sets; set it, or write %% for a literal %")]
    [InlineData("state = var/50%/update.state", "[main] state = 'var/50%/update.state' has a '%' not followed by '%' or '(name)s'; write %% for a literal %")]
    [InlineData("reboot_cmd = bin/fake-reboot %(now", "[main] reboot_cmd = 'bin/fake-reboot %(now' has a bad reference (write %(name)s, or %% for a literal %)")]
    [InlineData("lock_name = %(lock_name)s", "[main] lock_name = '%(lock_name)s' goes more than 10 %(name)s references deep (a reference loop?); resolve the chain")]
    public void A_bad_value_names_the_file_line_and_key(string line, string message)
    {
        var result = RunWith(line, out int lineNumber);

        lineNumber.ShouldBeGreaterThan(1);
        result.ExitCode.ShouldBe(3, result.ToString());
        result.Stderr.ShouldMatch($@"ERROR: /[^ ]+/update\.ini:{lineNumber}: {System.Text.RegularExpressions.Regex.Escape(message)}\n$");
        result.Stderr.Trim().Split('\n').Length.ShouldBe(1);
    }

    [Fact]
    public void Default_keys_and_percent_references_are_read_as_configparser_reads_them()
    {
        _host.Dir.File("update.ini", """
            [DEFAULT]
            var = var
            lock_name = fleet
            [main]
            backend = local
            holder_id = test-host
            state = %(var)s/update.state
            lock = %(VAR)s/run/update.lock
            log = %(var)s/log/update.log
            boot_id_file = boot_id
            reboot_cmd = bin/fake-reboot --now
            lock_retry_interval = 0.2
            script_timeout = 30
            [local]
            path = %(var)s/local.lock
            """);

        var result = _host.Update();

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stderr.ShouldNotContain("unknown setting");
        _host.Ran.ShouldContain("update locked fleet");
        File.Exists(_host.LogFile).ShouldBeTrue();
        File.Exists(_host.Dir["var/run/update.lock"]).ShouldBeTrue();
    }

    [Fact]
    public void A_bad_reference_inherited_from_default_names_its_line_in_default()
    {
        _host.Dir.File("update.ini", File.ReadAllText(_host.Config).Replace("[main]\n", "[DEFAULT]\nlog = %(logs)s/update.log\n[main]\n", StringComparison.Ordinal)
            .Replace("log = var/log/update.log\n", "", StringComparison.Ordinal));

        var result = _host.Update();

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Stderr.Trim().Split('\n').Length.ShouldBe(1);
        result.Stderr.ShouldEndWith($"ERROR: {_host.Config}:2: [DEFAULT] log = '%(logs)s/update.log' refers to %(logs)s, which neither [main] nor [DEFAULT] sets; set it, or write %% for a literal %\n");
        _host.Ran.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("status")]
    [InlineData("acquire")]
    public void Lock_commands_refuse_a_bad_reference_as_configuration(string verb)
    {
        _host.Dir.File("update.ini", File.ReadAllText(_host.Config).Replace("lock_name = fleet", "lock_name = fleet-%(n)s", StringComparison.Ordinal));

        var result = LockstepCli.Run("lock", verb, "--config", _host.Config);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldContain("[main] lock_name = 'fleet-%(n)s' refers to %(n)s, which neither [main] nor [DEFAULT] sets");
        result.Stderr.Trim().Split('\n').Length.ShouldBe(1);
    }

    [Fact]
    public void An_unknown_backend_is_named_with_its_place()
    {
        _host.Dir.File("update.ini", File.ReadAllText(_host.Config).Replace("backend = local", "backend = zookeeper", StringComparison.Ordinal));

        var result = _host.Update();

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Stderr.ShouldContain($"{_host.Config}:2: [main] backend = 'zookeeper' is not a known lock backend");
    }

    [Fact]
    public void A_missing_config_file_says_how_to_give_one()
    {
        var result = LockstepCli.Run("update", "--config", _host.Dir["nope.ini"]);

        result.ExitCode.ShouldBe(3);
        result.Stderr.ShouldContain($"{_host.Dir["nope.ini"]}: configuration file not found; create it or pass --config FILE");
    }

    [Fact]
    public void A_missing_script_directory_is_named_before_anything_runs()
    {
        Directory.Delete(_host.Dir["post_update.d"], recursive: true);

        var result = _host.Update();

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Stderr.ShouldContain($"{_host.Config}: [main] post_update.d: script directory {_host.Dir["post_update.d"]} does not exist");
        _host.Ran.ShouldBeEmpty();
    }

    [Fact]
    public void A_reboot_cmd_that_does_not_exist_is_refused_before_anything_runs()
    {
        var result = RunWith("reboot_cmd = no-such-reboot-command now");

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Stderr.ShouldContain("[main] reboot_cmd: 'no-such-reboot-command' is not found; give the full path");
    }

    [Theory]
    [InlineData("/nonexistent/boot_id", "its directory does not exist")]
    [InlineData("{dir}/no_boot_id", "it does not exist")]
    [InlineData("{dir}", "it is a directory")]
    public void An_unreadable_boot_id_file_is_refused_before_anything_runs_saying_why_in_words(string path, string reason)
    {
        path = path.Replace("{dir}", _host.Dir.Path, StringComparison.Ordinal);

        var result = RunWith($"boot_id_file = {path}");

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Stderr.ShouldEndWith($" update ERROR: boot id file {path} ([main] boot_id_file) cannot be read ({reason}); fix the setting\n");
        result.Stderr.ShouldNotContain("IO_");
    }

    [Fact]
    public void A_state_that_names_another_lock_is_refused()
    {
        _host.Update(new() { ["FAIL_IN"] = "update" }).ExitCode.ShouldBe(1);
        _host.Dir.File("update.ini", File.ReadAllText(_host.Config).Replace("lock_name = fleet", "lock_name = other", StringComparison.Ordinal));

        var result = _host.Update();

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Stderr.ShouldContain("records lock 'fleet' taken by 'test-host', but");
        _host.LockHolder.ShouldBe(UpdateHost.Holder);
    }

    [Fact]
    public void An_unreadable_state_file_is_an_error_and_is_kept()
    {
        Directory.CreateDirectory(_host.StatePath);

        var result = _host.Update();

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Stderr.ShouldContain($"state file {_host.StatePath} cannot be read");
        Directory.Exists(_host.StatePath).ShouldBeTrue();
        _host.Ran.ShouldBeEmpty();
    }

    [Fact]
    public void An_unknown_key_is_a_warning_only()
    {
        using var host = new UpdateHost("script_timout = 5");

        var result = host.Update();

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stderr.ShouldContain("update.ini:13: [main] script_timout: unknown setting, ignored (a typo?)");
    }

    [Fact]
    public void The_cfg_alias_and_usage_errors_follow_the_cli_conventions()
    {
        var result = LockstepCli.Run("update", "--cfg", _host.Config, "--bogus");

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("--bogus");
    }

    [Fact]
    public void A_state_file_that_cannot_be_written_stops_the_run_before_the_lock_is_taken()
    {
        using var host = new UpdateHost("state = /proc/lockstep-cannot-write/update.state");

        var result = host.Update();

        result.ExitCode.ShouldBe(3, result.ToString());
        // The first thing written there is the record of the first script, before it starts (README, "After a killed run").
        result.Stderr.ShouldContain("script record /proc/lockstep-cannot-write/update.state.script (beside [main] state) cannot be written");
        result.Stderr.ShouldContain($"so {host.Dir["needs_update.d/10-needs-update"]} was not run");
        host.Ran.ShouldBeEmpty();
        host.LockHolder.ShouldBeNull();
    }
}
