using Lockstep.Tests.Support;

namespace Lockstep.Tests.Parts;

/// <summary>Failing scripts and bad input: exact statuses and one clear line each.</summary>
public sealed class RunPartsFailureTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string[] ErrorLines(CliResult result) =>
        result.Stderr.Split('\n').Where(l => l.Contains("ERROR", StringComparison.Ordinal) || l.StartsWith("lockstep", StringComparison.Ordinal)).ToArray();

    [Fact]
    public void The_first_failing_script_stops_the_run_with_its_exact_status()
    {
        _temp.Script("parts/10-ok", "echo first");
        _temp.Script("parts/20-fail", "echo second; exit 42");
        _temp.Script("parts/30-never", "echo third");

        var result = LockstepCli.Run("run-parts", _temp["parts"]);

        result.ExitCode.ShouldBe(42, result.ToString());
        result.Stdout.ShouldBe("first\nsecond\n");
        ErrorLines(result).ShouldHaveSingleItem().ShouldContain($"{_temp.Path}/parts/20-fail failed with exit status 42");
        result.Stderr.ShouldNotContain("PROFILING");
    }

    [Fact]
    public void A_script_killed_by_a_signal_gives_128_plus_the_signal()
    {
        _temp.Script("parts/10-die", "kill -KILL $$");

        var result = LockstepCli.Run("run-parts", _temp["parts"]);

        result.ExitCode.ShouldBe(137, result.ToString());
        result.Stderr.ShouldContain("was killed by signal 9 (status 137)");
    }

    [Theory]
    [InlineData("exit 3", "exit 5")]
    [InlineData("exit 42", "exit 0")]
    [InlineData("exit 0", "kill -9 $$")]
    [InlineData("exit 126", "exit 2")]
    public void Continue_on_error_runs_everything_and_exits_1_whatever_failed_as_debian_run_parts(string first, string third)
    {
        _temp.Script("parts/10-fail", $"echo a; {first}");
        _temp.Script("parts/20-ok", "echo b");
        _temp.Script("parts/30-fail", $"echo c; {third}");
        _temp.Script("parts/40-ok", "echo d");

        var result = LockstepCli.Run("run-parts", "--continue-on-error", _temp["parts"]);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stdout.ShouldBe("a\nb\nc\nd\n");
    }

    [Fact]
    public void Continue_on_error_with_every_script_succeeding_exits_0()
    {
        _temp.Script("parts/10-ok", "echo a");

        LockstepCli.Run("run-parts", "--continue-on-error", _temp["parts"]).ExitCode.ShouldBe(0);
    }

    [Fact]
    public void A_missing_directory_is_one_line_and_status_1()
    {
        var result = LockstepCli.Run("run-parts", _temp["missing"]);

        result.ExitCode.ShouldBe(1);
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain($"script directory {_temp.Path}/missing does not exist");
    }

    [Fact]
    public void A_file_given_as_the_directory_is_one_line_and_status_1()
    {
        string file = _temp.File("plain", "x");

        var list = LockstepCli.Run("run-parts", "--list", file);
        var run = LockstepCli.Run("run-parts", file);

        list.ExitCode.ShouldBe(1);
        run.ExitCode.ShouldBe(1);
        run.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain($"{file} is not a directory");
    }

    [Fact]
    public void An_unreadable_directory_is_one_line_and_status_1()
    {
        string dir = _temp.Dir("locked");
        _temp.Script("locked/10-a", "echo a");
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        // Root reads everything, so the caller here is the unprivileged 'nobody'.
        var result = LockstepCli.RunWith(
            new CliOptions { Executable = "/usr/bin/setpriv", Environment = { ["DOTNET_CLI_HOME"] = "/tmp" } },
            "--reuid=65534", "--regid=65534", "--clear-groups", LockstepCli.Binary, "run-parts", dir);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain($"{dir}");
        result.Stderr.ShouldContain("permission denied");
    }

    [Fact]
    public void A_symlink_loop_as_the_directory_is_one_line_and_status_1()
    {
        File.CreateSymbolicLink(_temp["loop"], _temp["loop"]);

        var result = LockstepCli.Run("run-parts", _temp["loop"]);

        result.ExitCode.ShouldBe(1);
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain("is a symlink loop");
    }

    [Fact]
    public void A_symlink_loop_inside_the_directory_is_skipped_with_a_warning()
    {
        _temp.Script("parts/10-a", "echo a");
        File.CreateSymbolicLink(_temp["parts/20-loop"], _temp["parts/20-loop"]);

        var result = LockstepCli.Run("run-parts", _temp["parts"]);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldBe("a\n");
        result.Stderr.ShouldContain($"WARN: skipping {_temp.Path}/parts/20-loop: symlink loop");
    }

    [Fact]
    public void An_invalid_run_parts_regex_is_a_usage_error()
    {
        _temp.Script("parts/10-a", "echo a");

        var result = LockstepCli.RunWith(new CliOptions { Environment = { ["RUN_PARTS_REGEX"] = "([unclosed" } }, "run-parts", _temp["parts"]);

        result.ExitCode.ShouldBe(2);
        result.Stdout.ShouldBeEmpty();
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain("RUN_PARTS_REGEX='([unclosed' is not a valid extended regular expression");
    }

    [Fact]
    public void A_missing_interpreter_gives_127_as_dib_run_parts_and_names_the_script()
    {
        _temp.Script("parts/10-bad", "echo never", interpreter: "#!/no/such/interpreter");
        _temp.Script("parts/20-next", "echo never");

        var result = LockstepCli.Run("run-parts", _temp["parts"]);

        result.ExitCode.ShouldBe(127, result.ToString());
        result.Stdout.ShouldBeEmpty();
        ErrorLines(result).ShouldHaveSingleItem().ShouldContain($"{_temp.Path}/parts/10-bad cannot be executed: its #! interpreter does not exist (status 127)");
    }

    [Theory]
    [InlineData("#!/no/such/interpreter -x")]
    [InlineData("#! /no/such/interpreter")]
    [InlineData("#!/usr/bin/no-such-interpreter")]
    [InlineData("#!{dangling}")]
    [InlineData("#!{dangling} -e")]
    public void Every_missing_interpreter_gives_127_as_dib_run_parts(string interpreter)
    {
        string dangling = _temp["dangling"];
        File.CreateSymbolicLink(dangling, _temp["nowhere"]);
        _temp.Script("parts/10-bad", "echo never", interpreter: interpreter.Replace("{dangling}", dangling, StringComparison.Ordinal));
        _temp.Script("parts/20-next", "echo never");

        var result = LockstepCli.Run("run-parts", _temp["parts"]);

        result.ExitCode.ShouldBe(127, result.ToString());
        result.Stdout.ShouldBeEmpty();
        ErrorLines(result).ShouldHaveSingleItem().ShouldContain($"{_temp.Path}/parts/10-bad cannot be executed: its #! interpreter does not exist (status 127)");
    }

    [Fact]
    public void A_file_without_interpreter_line_gives_126()
    {
        _temp.Script("parts/10-plain", "", interpreter: "echo no shebang here");

        var result = LockstepCli.Run("run-parts", _temp["parts"]);

        result.ExitCode.ShouldBe(126, result.ToString());
        result.Stderr.ShouldContain("neither a binary nor has a #! line");
    }

    [Fact]
    public void A_script_deleted_after_listing_gives_127()
    {
        _temp.Script("parts/10-delete-next", $"rm '{_temp.Path}/parts/20-victim'");
        _temp.Script("parts/20-victim", "echo never");

        var result = LockstepCli.Run("run-parts", _temp["parts"]);

        result.ExitCode.ShouldBe(127, result.ToString());
        ErrorLines(result).ShouldHaveSingleItem().ShouldContain($"{_temp.Path}/parts/20-victim disappeared before it could run");
    }

    [Fact]
    public void A_name_with_a_newline_is_skipped_with_a_warning()
    {
        _temp.Script("parts/10-a", "echo a");
        _temp.Script("parts/bad\nname", "echo never");

        var result = LockstepCli.RunWith(new CliOptions { Environment = { ["RUN_PARTS_REGEX"] = "." } }, "run-parts", _temp["parts"]);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldBe("a\n");
        result.Stderr.ShouldContain(@"skipping " + _temp.Path + @"/parts/bad\nname: a name with a newline");
    }

    [Theory]
    [InlineData(new string[] { "run-parts" }, "Required argument 'DIR' missing")]
    [InlineData(new string[] { "bogus" }, "lockstep: unknown command 'bogus'")]
    [InlineData(new string[] { "--bogus" }, "lockstep: unknown option '--bogus'")]
    [InlineData(new string[] { }, "lockstep: Required command was not provided")]
    [InlineData(new string[] { "run-parts", "--bogus", "x" }, "--bogus")]
    [InlineData(new string[] { "run-parts", "--order", "random", "x" }, "random")]
    [InlineData(new string[] { "run-parts", "--script-timeout", "soon", "x" }, "--script-timeout takes a number of seconds")]
    [InlineData(new string[] { "run-parts", "--log-level", "LOUD", "x" }, "--log-level takes one of")]
    public void Bad_arguments_exit_2_with_one_line(string[] args, string expected)
    {
        var result = LockstepCli.Run(args);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain(expected);
    }
}
