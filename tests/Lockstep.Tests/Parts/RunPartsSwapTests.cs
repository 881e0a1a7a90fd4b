using Lockstep.Tests.Support;
using Lockstep.Tests.Update;

namespace Lockstep.Tests.Parts;

/// <summary>
/// Checked, then swapped: code reached through anything another user could change (a directory
/// further up, a symlink's target, the directory of reboot_cmd or of environment.d) is refused
/// before anything runs, so nobody can put their own file where root will execute it.
/// </summary>
public sealed class RunPartsSwapTests : IDisposable
{
    private const int Nobody = 65534;

    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Marker => _temp["ran"];

    private void FirstScriptTouchesMarker() => _temp.Script("parts/10-first", $"touch '{Marker}'");

    private static void Chown(string path, int uid, bool link = false) =>
        Run("chown", link ? "-h" : "--", uid.ToString(System.Globalization.CultureInfo.InvariantCulture), path);

    private static void Run(string program, params string[] args)
    {
        using var process = System.Diagnostics.Process.Start(program, args)!;
        process.WaitForExit();
        process.ExitCode.ShouldBe(0, $"{program} {string.Join(' ', args)}");
    }

    private CliResult Refused(string dir)
    {
        var result = LockstepCli.Run("run-parts", dir);
        result.ExitCode.ShouldBe(1, result.ToString());
        File.Exists(Marker).ShouldBeFalse(result.ToString());
        return result;
    }

    [Fact]
    public void A_script_symlinked_into_a_directory_another_user_owns_is_refused()
    {
        FirstScriptTouchesMarker();
        _temp.Script("u/x", "id -u");
        Chown(_temp["u"], Nobody);
        File.CreateSymbolicLink(_temp["parts/20-x"], "../u/x");

        var result = Refused(_temp["parts"]);

        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain(
            $"script {_temp["parts/20-x"]} is reached through directory {_temp["u"]}, which is owned by uid {Nobody}, not root or the caller (uid 0)");
    }

    [Fact]
    public void A_script_symlinked_into_a_directory_others_may_write_is_refused()
    {
        FirstScriptTouchesMarker();
        _temp.Script("shared/x", "id -u");
        File.SetUnixFileMode(_temp["shared"], (UnixFileMode)0b111_111_111);
        File.CreateSymbolicLink(_temp["parts/20-x"], _temp["shared/x"]);

        var result = Refused(_temp["parts"]);

        result.Stderr.ShouldContain($"is reached through directory {_temp["shared"]}, which is writable by group and others (mode 0777)");
    }

    [Fact]
    public void A_script_reached_through_a_chain_of_symlinks_one_of_which_another_user_owns_is_refused()
    {
        FirstScriptTouchesMarker();
        _temp.Script("real/x", "id -u");
        _temp.Dir("links");
        File.CreateSymbolicLink(_temp["links/second"], _temp["real/x"]);
        Chown(_temp["links/second"], Nobody, link: true);
        File.CreateSymbolicLink(_temp["links/first"], "second");
        File.CreateSymbolicLink(_temp["parts/20-x"], _temp["links/first"]);

        var result = Refused(_temp["parts"]);

        result.Stderr.ShouldContain($"is reached through symlink {_temp["links/second"]}, which is owned by uid {Nobody}");
    }

    [Fact]
    public void A_script_directory_below_a_directory_another_user_owns_further_up_is_refused()
    {
        _temp.Script("a/b/c/parts/10-first", $"touch '{Marker}'");
        Chown(_temp["a"], Nobody);

        var result = Refused(_temp["a/b/c/parts"]);

        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem()
            .ShouldContain($"script directory {_temp["a/b/c/parts"]} is reached through directory {_temp["a"]}, which is owned by uid {Nobody}");
    }

    [Fact]
    public void A_script_directory_below_a_group_writable_directory_further_up_is_refused()
    {
        _temp.Script("a/b/parts/10-first", $"touch '{Marker}'");
        File.SetUnixFileMode(_temp["a"], (UnixFileMode)0b111_111_101);

        var result = Refused(_temp["a/b/parts"]);

        result.Stderr.ShouldContain($"is reached through directory {_temp["a"]}, which is writable by group (mode 0775)");
    }

    [Fact]
    public void A_symlinked_script_directory_whose_target_lies_below_another_users_directory_is_refused()
    {
        _temp.Script("theirs/parts/10-first", $"touch '{Marker}'");
        Chown(_temp["theirs"], Nobody);
        File.CreateSymbolicLink(_temp["linked"], _temp["theirs/parts"]);

        var result = Refused(_temp["linked"]);

        result.Stderr.ShouldContain($"script directory {_temp["linked"]} is reached through directory {_temp["theirs"]}, which is owned by uid {Nobody}");
    }

    [Fact]
    public void An_environment_file_symlinked_into_another_users_directory_is_refused()
    {
        FirstScriptTouchesMarker();
        _temp.File("theirs/env", "export A=1\n");
        Chown(_temp["theirs"], Nobody);
        _temp.Dir("environment.d");
        File.CreateSymbolicLink(_temp["environment.d/10-env"], _temp["theirs/env"]);

        var result = Refused(_temp["parts"]);

        result.Stderr.ShouldContain($"environment file {_temp["environment.d/10-env"]} is reached through directory {_temp["theirs"]}, which is owned by uid {Nobody}");
    }

    [Fact]
    public void The_file_another_user_swaps_in_while_an_earlier_script_runs_never_runs()
    {
        // The issue's example: 10-s sleeps while nobody replaces u/x, which 20-x points at.
        _temp.Script("parts/10-s", $"touch '{Marker}'; sleep 1");
        _temp.Script("u/x", "echo original");
        Chown(_temp["u"], Nobody);
        File.CreateSymbolicLink(_temp["parts/20-x"], "../u/x");
        string evil = _temp["evil-ran"];
        using var attacker = System.Diagnostics.Process.Start("/usr/bin/setpriv",
            ["--reuid=65534", "--regid=65534", "--clear-groups", "/bin/sh", "-c",
                $"for i in $(seq 1 30); do printf '#!/bin/sh\\nid -u > {evil}\\n' > '{_temp["u"]}/y' && chmod 755 '{_temp["u"]}/y' && mv '{_temp["u"]}/y' '{_temp["u"]}/x'; sleep 0.1; done"])!;

        var result = LockstepCli.Run("run-parts", _temp["parts"]);
        attacker.WaitForExit();

        result.ExitCode.ShouldBe(1, result.ToString());
        File.Exists(Marker).ShouldBeFalse();
        File.Exists(evil).ShouldBeFalse();
    }

    /// <summary>
    /// The swap the issue saw, timed after any check a run could make: 'nobody' waits until the
    /// first script has started, then puts their own file where a later one will be executed.
    /// Refusing the untrusted path before anything runs is the only defence that holds.
    /// </summary>
    [Theory]
    [InlineData("symlink-into-owned-directory")]
    [InlineData("symlink-into-writable-directory")]
    [InlineData("script-directory-below-owned-directory")]
    [InlineData("script-directory-symlinked-below-owned-directory")]
    public void A_file_swapped_in_after_the_first_script_started_never_runs_as_root(string how)
    {
        string evil = _temp["evil-ran"];
        string evilScript = $"printf '#!/bin/sh\\nid -u > {evil}\\n'";
        string dir = _temp["parts"];
        string swap;
        switch (how)
        {
            case "symlink-into-owned-directory":
                _temp.Script("u/x", "echo original");
                Chown(_temp["u"], Nobody);
                _temp.Dir("parts");
                File.CreateSymbolicLink(_temp["parts/20-x"], "../u/x");
                swap = $"cd '{_temp["u"]}' && {evilScript} > y && chmod 755 y && mv y x";
                break;
            case "symlink-into-writable-directory":
                _temp.Script("shared/x", "echo original");
                File.SetUnixFileMode(_temp["shared"], (UnixFileMode)0b111_111_111);
                _temp.Dir("parts");
                File.CreateSymbolicLink(_temp["parts/20-x"], _temp["shared/x"]);
                swap = $"cd '{_temp["shared"]}' && {evilScript} > y && chmod 755 y && mv y x";
                break;
            case "script-directory-below-owned-directory":
                dir = _temp["a/b/parts"];
                _temp.Script("a/b/parts/20-x", "echo original");
                Chown(_temp["a"], Nobody);
                swap = $"cd '{_temp["a"]}' && mv b old && mkdir -p b/parts && {evilScript} > b/parts/20-x && chmod 755 b/parts/20-x";
                break;
            default:
                dir = _temp["linked"];
                _temp.Script("theirs/parts/20-x", "echo original");
                Chown(_temp["theirs"], Nobody);
                File.CreateSymbolicLink(dir, _temp["theirs/parts"]);
                swap = $"cd '{_temp["theirs"]}' && mv parts old && mkdir parts && {evilScript} > parts/20-x && chmod 755 parts/20-x";
                break;
        }

        _temp.Script(Path.Combine(dir, "10-s"), $"touch '{Marker}'; sleep 1");
        using var attacker = SwapOnceStarted(swap);

        var result = LockstepCli.Run("run-parts", dir);
        attacker.WaitForExit();

        File.Exists(evil).ShouldBeFalse($"root ran the file nobody swapped in: {result}");
        result.ExitCode.ShouldBe(1, result.ToString());
        File.Exists(Marker).ShouldBeFalse(result.ToString());
    }

    /// <summary>Starts 'nobody' waiting (up to 10 s) for the first script's marker, then running <paramref name="swap"/>.</summary>
    private System.Diagnostics.Process SwapOnceStarted(string swap) =>
        System.Diagnostics.Process.Start("/usr/bin/setpriv",
            ["--reuid=65534", "--regid=65534", "--clear-groups", "/bin/sh", "-c",
                $"i=0; while [ ! -e '{Marker}' ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done; [ -e '{Marker}' ] || exit 0; {swap}"])!;

    [Fact]
    public void A_script_whose_check_fails_at_run_time_is_never_executed_by_its_name()
    {
        // 20-x leads through a sticky directory into root's d/, which root's own 10-clean removes. The
        // check of 20-x then fails; whatever exec would find by that name afterwards was never
        // checked. strace holds each exec for 5 s (and stops for nothing else), so the other user,
        // who recreates d/ 2 s after it went (once the check has failed), surely wins that window.
        File.SetUnixFileMode(_temp.Path, (UnixFileMode)0b1_111_111_111);
        string d = _temp["d"];
        _temp.Script("d/x", $"echo original > '{Marker}'");
        _temp.Script("parts/10-clean", $"rm -rf '{d}'");
        File.CreateSymbolicLink(_temp["parts/20-x"], _temp["d/x"]);
        string evil = _temp["evil-ran"];
        using var attacker = System.Diagnostics.Process.Start("/usr/bin/setpriv",
            ["--reuid=65534", "--regid=65534", "--clear-groups", "/bin/sh", "-c",
                $"i=0; while [ -e '{d}' ] && [ $i -lt 6000 ]; do sleep 0.01; i=$((i+1)); done; sleep 2; " +
                $"mkdir '{d}' && printf '#!/bin/sh\\nid -u > {evil}\\n' > '{d}/x' && chmod 755 '{d}/x'"])!;

        var result = LockstepCli.RunWith(new CliOptions { Executable = "/usr/bin/strace" },
            "-f", "--seccomp-bpf", "-qq", "-o", "/dev/null", "-e", "trace=execve", "-e", "inject=execve:delay_enter=5000000", LockstepCli.Binary, "run-parts", _temp["parts"]);
        attacker.WaitForExit();

        File.Exists(evil).ShouldBeFalse(result.ToString());
        result.ExitCode.ShouldBe(127, result.ToString());
        result.Stderr.ShouldContain($"{_temp["parts/20-x"]} disappeared before it could run (status 127)");
    }

    [Fact]
    public void Scripts_in_a_sticky_directory_and_symlinks_to_trusted_places_still_run_and_keep_their_path_as_dollar_zero()
    {
        File.SetUnixFileMode(_temp.Path, (UnixFileMode)0b1_111_111_111);
        _temp.Script("lib/show", $"echo \"$0\" > '{Marker}'");
        _temp.Dir("parts");
        File.CreateSymbolicLink(_temp["parts/20-show"], "../lib/show");
        File.CreateSymbolicLink(_temp["parts/30-true"], "/bin/true");

        var result = LockstepCli.Run("run-parts", _temp["parts"]);

        result.ExitCode.ShouldBe(0, result.ToString());
        File.ReadAllText(Marker).ShouldBe(_temp["parts/20-show"] + "\n");
    }

    [Fact]
    public void A_binary_runs_through_its_descriptor_with_its_path_as_argv0()
    {
        _temp.Dir("parts");
        File.Copy("/bin/sh", _temp["parts/10-sh"]);
        File.SetUnixFileMode(_temp["parts/10-sh"], (UnixFileMode)0b111_101_101);
        // sh with no arguments reads commands from stdin; $0 is the argv[0] it was given.
        var result = LockstepCli.RunWith(new CliOptions { Stdin = "echo \"$0\"\n" }, "run-parts", _temp["parts"]);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldBe(_temp["parts/10-sh"] + "\n");
    }
}

/// <summary>reboot_cmd is code root runs: it is checked as scripts are, the whole way from /.</summary>
public sealed class RebootCommandSwapTests : IDisposable
{
    private readonly UpdateHost _host = new();

    public void Dispose() => _host.Dispose();

    [Theory]
    [InlineData("owned")]
    [InlineData("writable")]
    [InlineData("symlink")]
    public void A_reboot_cmd_another_user_could_swap_is_refused_before_anything_runs(string how)
    {
        string bin = _host.Dir["bin"];
        string reboot = _host.Dir["bin/fake-reboot"];
        switch (how)
        {
            case "owned":
                Chown(bin, "65534");
                break;
            case "writable":
                File.SetUnixFileMode(bin, (UnixFileMode)0b111_111_111);
                break;
            default:
                _host.Dir.Dir("other");
                File.Move(reboot, _host.Dir["other/fake-reboot"]);
                File.CreateSymbolicLink(reboot, _host.Dir["other/fake-reboot"]);
                Chown(reboot, "65534", "-h");
                break;
        }

        var result = _host.Update(new() { ["REBOOT"] = "1" });

        result.ExitCode.ShouldBe(3, result.ToString());
        _host.Ran.ShouldBeEmpty();
        result.Stderr.ShouldContain($"[main] reboot_cmd: reboot command {reboot} ");
    }

    [Fact]
    public void A_reboot_cmd_swapped_by_another_user_while_the_steps_run_never_runs_as_root()
    {
        string marker = _host.Dir["steps-started"];
        string evil = _host.Dir["evil-ran"];
        _host.Dir.Script("needs_reboot.d/05-slow", $"touch '{marker}'; sleep 1");
        Chown(_host.Dir["bin"], "65534");
        string swap = $"cd '{_host.Dir["bin"]}' && printf '#!/bin/sh\\nid -u > {evil}\\n' > y && chmod 755 y && mv y fake-reboot";
        using var attacker = System.Diagnostics.Process.Start("/usr/bin/setpriv",
            ["--reuid=65534", "--regid=65534", "--clear-groups", "/bin/sh", "-c",
                $"i=0; while [ ! -e '{marker}' ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done; [ -e '{marker}' ] || exit 0; {swap}"])!;

        var result = _host.Update(new() { ["REBOOT"] = "1" });
        attacker.WaitForExit();

        File.Exists(evil).ShouldBeFalse($"root ran the reboot_cmd nobody swapped in: {result}");
        result.ExitCode.ShouldBe(3, result.ToString());
        _host.Ran.ShouldBeEmpty();
    }

    private static void Chown(string path, string uid, string flag = "--")
    {
        using var process = System.Diagnostics.Process.Start("chown", [flag, uid, path])!;
        process.WaitForExit();
        process.ExitCode.ShouldBe(0);
    }
}
