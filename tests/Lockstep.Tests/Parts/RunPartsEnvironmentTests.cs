using Lockstep.Tests.Support;

namespace Lockstep.Tests.Parts;

/// <summary>environment.d and what each script inherits.</summary>
public sealed class RunPartsEnvironmentTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Only_exported_variables_of_environment_d_reach_the_scripts()
    {
        _temp.File("environment.d/10-a", "export SHARED=from-a\nexport KEEP=kept\nLOCAL=not-exported\n");
        _temp.File("environment.d/20-b.sh", "export SHARED=\"$SHARED+b\"\n");
        _temp.File("environment.d/30-c~", "export SHARED=backup-file\n");
        _temp.Script("parts/10-show", "echo \"$SHARED|$KEEP|${LOCAL:-unset}\"");

        var result = LockstepCli.Run("run-parts", _temp["parts"]);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldBe("from-a+b|kept|unset\n");
    }

    [Fact]
    public void An_environment_file_may_change_path()
    {
        _temp.File("environment.d/10-path", "export PATH=/opt/no-such-tools/bin:/usr/bin:/bin\n");
        _temp.Script("parts/10-show", "echo \"$PATH\"");

        var result = LockstepCli.Run("run-parts", _temp["parts"]);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldBe("/opt/no-such-tools/bin:/usr/bin:/bin\n");
    }

    [Fact]
    public void Environment_files_are_sourced_in_byte_order()
    {
        _temp.File("environment.d/B", "export ORDER=\"${ORDER:-}B\"\n");
        _temp.File("environment.d/a", "export ORDER=\"${ORDER:-}a\"\n");
        _temp.File("environment.d/10", "export ORDER=\"${ORDER:-}10\"\n");
        _temp.File("environment.d/9", "export ORDER=\"${ORDER:-}9\"\n");
        _temp.Script("parts/10-show", "echo \"$ORDER\"");

        var result = LockstepCli.Run("run-parts", _temp["parts"]);

        result.Stdout.ShouldBe("109Ba\n", result.ToString());
    }

    [Fact]
    public void Environment_d_output_goes_to_stdout_untouched()
    {
        _temp.File("environment.d/10-talk", "echo sourcing-says-hi\n");
        _temp.Script("parts/10-a", "echo script");

        var result = LockstepCli.Run("run-parts", _temp["parts"]);

        result.Stdout.ShouldBe("sourcing-says-hi\nscript\n", result.ToString());
    }

    [Fact]
    public void A_failing_environment_file_stops_the_run_before_any_script_with_its_status()
    {
        _temp.File("environment.d/10-ok", "export A=1\n");
        _temp.File("environment.d/20-bad", "false\nexport B=2\n");
        string marker = _temp["ran"];
        _temp.Script("parts/10-a", $"touch '{marker}'");

        var result = LockstepCli.Run("run-parts", _temp["parts"]);

        result.ExitCode.ShouldBe(1, result.ToString());
        File.Exists(marker).ShouldBeFalse();
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain($"environment file {_temp.Path}/environment.d/20-bad failed with status 1; no script was run");
    }

    [Fact]
    public void An_unset_variable_in_an_environment_file_fails_as_under_set_u()
    {
        _temp.File("environment.d/10-bad", "export X=\"$NO_SUCH_VARIABLE_ANYWHERE\"\n");
        _temp.Script("parts/10-a", "echo should-not-run");

        var result = LockstepCli.Run("run-parts", _temp["parts"]);

        result.ExitCode.ShouldNotBe(0);
        result.Stdout.ShouldBeEmpty();
        result.Stderr.ShouldContain("10-bad failed with status");
    }

    [Fact]
    public void Environment_d_is_found_beside_the_physical_directory_not_the_symlink()
    {
        _temp.File("real/environment.d/10", "export WHERE=physical\n");
        _temp.Script("real/parts/10-show", "echo \"${WHERE:-none}\"");
        _temp.File("links/environment.d/10", "export WHERE=logical\n");
        File.CreateSymbolicLink(_temp["links/parts"], _temp["real/parts"]);

        var result = LockstepCli.Run("run-parts", _temp["links/parts"]);

        result.Stdout.ShouldBe("physical\n", result.ToString());
    }

    [Fact]
    public void Scripts_get_no_arguments_and_the_callers_stdin_and_working_directory()
    {
        _temp.Script("parts/10-a", "echo \"args=$# cwd=$(pwd)\"; read line; echo \"stdin=$line\"; umask");
        string cwd = _temp.Dir("cwd");

        var result = LockstepCli.RunWith(new CliOptions { Stdin = "hello\n", WorkingDirectory = cwd }, "run-parts", _temp["parts"]);

        result.Stdout.ShouldBe($"args=0 cwd={cwd}\nstdin=hello\n{Convert.ToString(CurrentUmask(), 8).PadLeft(4, '0')}\n", result.ToString());
    }

    [Fact]
    public void Scripts_start_with_default_signal_dispositions()
    {
        // The .NET runtime ignores SIGPIPE; a script must not inherit that.
        _temp.Script("parts/10-a", "grep -E '^(SigIgn|SigBlk)' /proc/self/status");

        var result = LockstepCli.Run("run-parts", _temp["parts"]);

        result.Stdout.ShouldBe("SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n", result.ToString());
    }

    private static int CurrentUmask()
    {
        string status = File.ReadAllText("/proc/self/status");
        string line = status.Split('\n').First(l => l.StartsWith("Umask:", StringComparison.Ordinal));
        return Convert.ToInt32(line["Umask:".Length..].Trim(), 8);
    }
}
