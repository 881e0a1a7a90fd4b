using Lockstep.Tests.Support;

namespace Lockstep.Tests.Parts;

/// <summary>Scripts that others could have changed are refused before anything runs.</summary>
public sealed class RunPartsTrustTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private CliResult RunWithMarker(out string marker)
    {
        marker = _temp["ran"];
        return LockstepCli.Run("run-parts", _temp["parts"]);
    }

    private void FirstScriptTouchesMarker() => _temp.Script("parts/10-first", $"touch '{_temp["ran"]}'");

    [Fact]
    public void A_group_writable_script_is_refused_and_nothing_runs()
    {
        FirstScriptTouchesMarker();
        string bad = _temp.Script("parts/20-writable", "echo x");
        File.SetUnixFileMode(bad, (UnixFileMode)0b111_111_101);

        var result = RunWithMarker(out string marker);

        result.ExitCode.ShouldBe(1, result.ToString());
        File.Exists(marker).ShouldBeFalse();
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain($"script {bad} is writable by group (mode 0775); refusing to run it (chmod g-w '{bad}')");
    }

    [Fact]
    public void A_world_writable_directory_is_refused()
    {
        FirstScriptTouchesMarker();
        File.SetUnixFileMode(_temp["parts"], (UnixFileMode)0b111_101_111);

        var result = RunWithMarker(out string marker);

        result.ExitCode.ShouldBe(1, result.ToString());
        File.Exists(marker).ShouldBeFalse();
        result.Stderr.ShouldContain("is writable by others (mode 0757)");
    }

    [Fact]
    public void A_script_owned_by_another_user_is_refused()
    {
        FirstScriptTouchesMarker();
        string foreign = _temp.Script("parts/20-foreign", "echo x");
        File.SetUnixFileMode(foreign, (UnixFileMode)0b111_101_101);
        Chown(foreign, 1234);

        var result = RunWithMarker(out string marker);

        result.ExitCode.ShouldBe(1, result.ToString());
        File.Exists(marker).ShouldBeFalse();
        result.Stderr.ShouldContain($"script {foreign} is owned by uid 1234, not root or the caller");
    }

    [Fact]
    public void A_writable_environment_file_is_refused()
    {
        FirstScriptTouchesMarker();
        string env = _temp.File("environment.d/10-env", "export A=1\n");
        File.SetUnixFileMode(env, (UnixFileMode)0b110_110_100);

        var result = RunWithMarker(out string marker);

        result.ExitCode.ShouldBe(1, result.ToString());
        File.Exists(marker).ShouldBeFalse();
        result.Stderr.ShouldContain("environment.d/10-env is writable by group (mode 0664)");
    }

    [Fact]
    public void A_directory_in_a_parent_others_may_write_is_refused()
    {
        FirstScriptTouchesMarker();
        File.SetUnixFileMode(_temp.Path, (UnixFileMode)0b111_111_111);

        var result = RunWithMarker(out string marker);

        result.ExitCode.ShouldBe(1, result.ToString());
        File.Exists(marker).ShouldBeFalse();
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem()
            .ShouldContain($"script directory {_temp.Path}/parts is reached through directory {_temp.Path}, which is writable by group and others (mode 0777): another user could swap the script directory for their own; chmod go-w '{_temp.Path}'");
    }

    [Fact]
    public void A_directory_in_a_sticky_parent_like_tmp_is_accepted()
    {
        FirstScriptTouchesMarker();
        File.SetUnixFileMode(_temp.Path, (UnixFileMode)0b1_111_111_111);

        var result = RunWithMarker(out string marker);

        result.ExitCode.ShouldBe(0, result.ToString());
        File.Exists(marker).ShouldBeTrue();
    }

    [Fact]
    public void A_symlinked_directory_planted_by_another_user_is_refused()
    {
        FirstScriptTouchesMarker();
        string link = _temp["linked"];
        File.CreateSymbolicLink(link, _temp["parts"]);
        Chown(link, 1234, "-h");

        var result = LockstepCli.Run("run-parts", link);

        result.ExitCode.ShouldBe(1, result.ToString());
        File.Exists(_temp["ran"]).ShouldBeFalse();
        result.Stderr.ShouldContain($"script directory {link} is reached through symlink {link}, which is owned by uid 1234, not root or the caller (uid 0)");
    }

    [Fact]
    public void A_symlinked_directory_of_the_caller_is_followed()
    {
        FirstScriptTouchesMarker();
        string link = _temp["linked"];
        File.CreateSymbolicLink(link, _temp["parts"]);

        LockstepCli.Run("run-parts", link).ExitCode.ShouldBe(0);
        File.Exists(_temp["ran"]).ShouldBeTrue();
    }

    private static void Chown(string path, int uid, string flag = "--")
    {
        using var process = System.Diagnostics.Process.Start("chown", [flag, uid.ToString(System.Globalization.CultureInfo.InvariantCulture), path])!;
        process.WaitForExit();
        process.ExitCode.ShouldBe(0);
    }
}
