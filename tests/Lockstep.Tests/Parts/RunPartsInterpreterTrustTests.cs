using Lockstep.Tests.Support;
using Lockstep.Tests.Update;

namespace Lockstep.Tests.Parts;

/// <summary>
/// Root runs a <c>#!</c> script's interpreter too, by the name in its first line: that interpreter
/// must meet the same rule as the script (README, "Which paths Lockstep trusts"), else the user who
/// can swap it runs their code as root. A missing interpreter still gives 127, as dib-run-parts.
/// </summary>
public sealed class RunPartsInterpreterTrustTests : IDisposable
{
    private const int Nobody = 65534;

    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Marker => _temp["ran"];

    private static void Run(string program, params string[] args)
    {
        using var process = System.Diagnostics.Process.Start(program, args)!;
        process.WaitForExit();
        process.ExitCode.ShouldBe(0, $"{program} {string.Join(' ', args)}");
    }

    private CliResult RefusedBeforeAnythingRuns()
    {
        _temp.Script("parts/10-first", $"touch '{Marker}'");
        var result = LockstepCli.Run("run-parts", _temp["parts"]);
        result.ExitCode.ShouldBe(1, result.ToString());
        File.Exists(Marker).ShouldBeFalse(result.ToString());
        return result;
    }

    [Fact]
    public void An_interpreter_in_a_directory_another_user_owns_is_refused()
    {
        string sh = _temp.Shell("u/sh");
        Run("chown", Nobody.ToString(System.Globalization.CultureInfo.InvariantCulture), _temp["u"]);
        string script = _temp.Script("parts/20-x", "echo hi", $"#!{sh}");

        var result = RefusedBeforeAnythingRuns();

        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain(
            $"script {script} starts with #!{sh}: #! interpreter {sh} is reached through directory {_temp["u"]}, which is owned by uid {Nobody}, not root or the caller (uid 0)");
    }

    [Fact]
    public void An_interpreter_others_may_write_is_refused_also_with_an_argument_and_spaces_in_its_line()
    {
        string sh = _temp.Shell("bin/sh");
        File.SetUnixFileMode(sh, (UnixFileMode)0b111_111_111);
        string script = _temp.Script("parts/20-x", "echo hi", $"#! \t{sh} -e");

        var result = RefusedBeforeAnythingRuns();

        result.Stderr.ShouldContain($"script {script} starts with #!{sh}: #! interpreter {sh} is writable by group and others (mode 0777); refusing to run it");
    }

    [Fact]
    public void An_interpreter_reached_through_a_symlink_another_user_owns_is_refused()
    {
        string sh = _temp.Shell("bin/sh");
        File.CreateSymbolicLink(_temp["bin/link"], sh);
        Run("chown", "-h", Nobody.ToString(System.Globalization.CultureInfo.InvariantCulture), _temp["bin/link"]);
        _temp.Script("parts/20-x", "echo hi", $"#!{_temp["bin/link"]}");

        var result = RefusedBeforeAnythingRuns();

        result.Stderr.ShouldContain($"#! interpreter {_temp["bin/link"]} is reached through symlink {_temp["bin/link"]}, which is owned by uid {Nobody}");
    }

    [Fact]
    public void The_interpreter_of_an_interpreter_is_checked_too()
    {
        string sh = _temp.Shell("theirs/sh");
        Run("chown", Nobody.ToString(System.Globalization.CultureInfo.InvariantCulture), _temp["theirs"]);
        // A trusted wrapper script whose own interpreter another user could swap.
        string wrapper = _temp.Script("bin/wrapper", "exec /bin/sh \"$@\"", $"#!{sh}");
        string script = _temp.Script("parts/20-x", "echo hi", $"#!{wrapper}");

        var result = RefusedBeforeAnythingRuns();

        result.Stderr.ShouldContain($"script {script} starts with #!{wrapper}, which starts with #!{sh}: #! interpreter {sh} is reached through directory {_temp["theirs"]}, which is owned by uid {Nobody}");
    }

    [Fact]
    public void Trusted_interpreters_still_run_and_a_missing_one_still_gives_127()
    {
        _temp.Script("parts/10-env", $"echo env >> '{Marker}'", "#!/usr/bin/env sh");
        _temp.Script("parts/20-own", $"echo own >> '{Marker}'", $"#!{_temp.Shell("bin/sh")}");
        _temp.Script("parts/30-missing", "echo never", $"#!{_temp["bin/nothing-here"]}");

        var result = LockstepCli.Run("run-parts", _temp["parts"]);

        result.ExitCode.ShouldBe(127, result.ToString());
        File.ReadAllLines(Marker).ShouldBe(["env", "own"]);
        result.Stderr.ShouldContain("its #! interpreter does not exist (status 127)");
    }

    [Fact]
    public void A_reboot_cmd_whose_interpreter_another_user_could_swap_is_refused_before_anything_runs()
    {
        using var host = new UpdateHost();
        string sh = _temp.Shell("theirs/sh");
        Run("chown", Nobody.ToString(System.Globalization.CultureInfo.InvariantCulture), _temp["theirs"]);
        string reboot = host.Dir["bin/fake-reboot"];
        File.WriteAllText(reboot, File.ReadAllText(reboot).Replace("#!/bin/sh", $"#!{sh}", StringComparison.Ordinal));

        var result = host.Update(new() { ["REBOOT"] = "1" });

        result.ExitCode.ShouldBe(3, result.ToString());
        host.Ran.ShouldBeEmpty();
        result.Stderr.ShouldContain($"[main] reboot_cmd: reboot command {reboot} starts with #!{sh}: #! interpreter {sh} is reached through directory {_temp["theirs"]}, which is owned by uid {Nobody}");
    }
}
