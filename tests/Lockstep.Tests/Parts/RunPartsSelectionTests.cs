using Lockstep.Tests.Support;

namespace Lockstep.Tests.Parts;

/// <summary>README "lockstep run-parts": which files run, in which order, and what --list prints.</summary>
public sealed class RunPartsSelectionTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Echoing(string dir, params string[] names)
    {
        string full = _temp.Dir(dir);
        foreach (string name in names)
        {
            _temp.Script($"{dir}/{name}", $"echo '{name}'");
        }

        return full;
    }

    [Fact]
    public void Scripts_run_in_dib_run_parts_numeric_order()
    {
        string[] order = ["-5-neg", "0x10", "_u", "1", "2-x", "9a", "010-z", "10-A", "10-b", "10-y"];
        string dir = Echoing("parts", [.. order.Reverse()]);

        var result = LockstepCli.Run("run-parts", dir);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldBe(string.Join("", order.Select(n => n + "\n")));
    }

    [Fact]
    public void Lexical_order_is_debian_run_parts_byte_order()
    {
        string dir = Echoing("parts", "9", "10", "B", "a");

        var result = LockstepCli.Run("run-parts", "--order", "lexical", dir);

        result.Stdout.ShouldBe("10\n9\nB\na\n", result.ToString());
    }

    [Fact]
    public void Only_executable_regular_files_with_accepted_names_run()
    {
        string dir = Echoing("parts", "10-run", "20-also_run");
        _temp.Script("parts/foo.sh", "echo foo.sh");
        _temp.Script("parts/foo~", "echo backup");
        _temp.Script("parts/.hidden", "echo hidden");
        _temp.Script("parts/x.dpkg-old", "echo dpkg");
        _temp.Script("parts/with space", "echo space");
        _temp.File("parts/30-not-executable", "#!/bin/sh\necho not-executable\n");
        _temp.Dir("parts/40-directory");
        File.CreateSymbolicLink(Path.Combine(dir, "50-dangling"), "/nonexistent/target");
        _temp.Script("elsewhere/target", "echo via-symlink");
        File.CreateSymbolicLink(Path.Combine(dir, "60-link"), _temp["elsewhere/target"]);
        File.CreateSymbolicLink(Path.Combine(dir, "70-dirlink"), _temp.Dir("elsewhere/dir"));

        var result = LockstepCli.Run("run-parts", dir);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldBe("10-run\n20-also_run\nvia-symlink\n");
    }

    [Fact]
    public void Sh_scripts_and_non_executable_scripts_earn_a_warning()
    {
        string dir = Echoing("parts", "10-run");
        _temp.Script("parts/setup.sh", "echo setup");
        _temp.File("parts/20-forgot-chmod", "#!/bin/sh\necho x\n");

        var result = LockstepCli.Run("run-parts", dir);

        result.Stderr.ShouldContain("WARN: skipping " + dir + "/setup.sh");
        result.Stderr.ShouldContain("rename it to setup");
        result.Stderr.ShouldContain("WARN: skipping " + dir + "/20-forgot-chmod: it starts with #! but is not executable");
    }

    [Fact]
    public void Skipped_files_are_explained_at_debug_level_only()
    {
        string dir = Echoing("parts", "10-run");
        _temp.Script("parts/foo~", "echo backup");
        _temp.Dir("parts/20-dir");

        var quiet = LockstepCli.Run("run-parts", dir);
        var debug = LockstepCli.Run("run-parts", "--log-level", "DEBUG", dir);

        quiet.Stderr.ShouldNotContain("foo~");
        debug.Stderr.ShouldContain($"DEBUG: skipping {dir}/foo~: name does not match ^[0-9A-Za-z_-]+$");
        debug.Stderr.ShouldContain($"DEBUG: skipping {dir}/20-dir: not a regular file");
    }

    [Fact]
    public void Run_parts_regex_replaces_the_name_filter()
    {
        string dir = Echoing("parts", "10-plain", "a.sh", "b.conf", "with space");

        var result = LockstepCli.RunWith(
            new CliOptions { Environment = { ["RUN_PARTS_REGEX"] = @"(\.sh|[[:space:]]space)$" } }, "run-parts", dir);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldBe("a.sh\nwith space\n");
    }

    [Fact]
    public void An_empty_run_parts_regex_means_the_default_filter()
    {
        string dir = Echoing("parts", "10-plain", "a.sh");

        var result = LockstepCli.RunWith(new CliOptions { Environment = { ["RUN_PARTS_REGEX"] = "" } }, "run-parts", dir);

        result.Stdout.ShouldBe("10-plain\n", result.ToString());
    }

    [Fact]
    public void List_prints_dir_as_given_slash_name_and_runs_nothing()
    {
        string dir = _temp.Dir("parts");
        string marker = _temp["ran"];
        _temp.Script("parts/20-b", $"touch '{marker}'");
        _temp.Script("parts/10-a", $"touch '{marker}'");

        var result = LockstepCli.RunWith(new CliOptions { WorkingDirectory = _temp.Path }, "run-parts", "--list", "parts/");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldBe("parts//10-a\nparts//20-b\n");
        File.Exists(marker).ShouldBeFalse();
    }

    [Fact]
    public void An_empty_directory_succeeds_without_output()
    {
        var result = LockstepCli.Run("run-parts", _temp.Dir("empty"));

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldBeEmpty();
    }

    [Fact]
    public void The_timing_table_follows_a_successful_run_in_execution_order()
    {
        string dir = Echoing("parts", "20-second", "10-first");

        var result = LockstepCli.Run("run-parts", dir);

        result.Stderr.ShouldContain($"INFO: Running {dir}/10-first");
        result.Stderr.ShouldContain("INFO: 10-first completed");
        int table = result.Stderr.IndexOf("PROFILING", StringComparison.Ordinal);
        table.ShouldBeGreaterThan(0);
        string tail = result.Stderr[table..];
        tail.IndexOf("10-first", StringComparison.Ordinal).ShouldBeLessThan(tail.IndexOf("20-second", StringComparison.Ordinal));
        tail.ShouldContain("Target: parts");
    }

    [Fact]
    public void The_dib_run_parts_symlink_acts_as_run_parts()
    {
        string dir = Echoing("parts", "10-a");
        string link = _temp["dib-run-parts"];
        File.CreateSymbolicLink(link, LockstepCli.Binary);

        var list = LockstepCli.RunWith(new CliOptions { Executable = link }, "--list", dir);
        var run = LockstepCli.RunWith(new CliOptions { Executable = link }, dir);

        list.Stdout.ShouldBe($"{dir}/10-a\n", list.ToString());
        run.Stdout.ShouldBe("10-a\n", run.ToString());
        run.Stderr.ShouldContain("dib-run-parts INFO: Running");
    }

    [Theory]
    [InlineData("extra")]
    [InlineData("extra", "more", "--bogus")]
    [InlineData("--list")]
    [InlineData("--order", "nonsense")]
    public void As_dib_run_parts_words_after_the_directory_are_ignored(params string[] after)
    {
        string dir = Echoing("parts", "10-a", "20-b");
        string link = _temp["dib-run-parts"];
        File.CreateSymbolicLink(link, LockstepCli.Binary);

        var run = LockstepCli.RunWith(new CliOptions { Executable = link }, [dir, .. after]);
        var list = LockstepCli.RunWith(new CliOptions { Executable = link }, ["--list", dir, .. after]);

        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stdout.ShouldBe("10-a\n20-b\n");
        list.ExitCode.ShouldBe(0, list.ToString());
        list.Stdout.ShouldBe($"{dir}/10-a\n{dir}/20-b\n");
    }

    [Theory]
    [InlineData]
    [InlineData("--order")]
    [InlineData("--order", "nonsense", "DIR")]
    [InlineData("--bogus", "DIR")]
    [InlineData("--script-timeout", "soon", "DIR")]
    public void As_dib_run_parts_a_usage_error_exits_1_as_its_usage_does(params string[] args)
    {
        string dir = Echoing("parts", "10-a");
        string link = _temp["dib-run-parts"];
        File.CreateSymbolicLink(link, LockstepCli.Binary);

        var asDropIn = LockstepCli.RunWith(new CliOptions { Executable = link }, [.. args.Select(a => a == "DIR" ? dir : a)]);
        var asLockstep = LockstepCli.Run(["run-parts", .. args.Select(a => a == "DIR" ? dir : a)]);

        asDropIn.ExitCode.ShouldBe(1, asDropIn.ToString());
        asDropIn.Stdout.ShouldBe("");
        asDropIn.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldStartWith("dib-run-parts: ");
        asLockstep.ExitCode.ShouldBe(2, asLockstep.ToString());
    }
}
