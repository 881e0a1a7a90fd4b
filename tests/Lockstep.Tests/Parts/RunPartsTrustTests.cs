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

    private static void Chown(string path, int uid)
    {
        using var process = System.Diagnostics.Process.Start("chown", [uid.ToString(System.Globalization.CultureInfo.InvariantCulture), path])!;
        process.WaitForExit();
        process.ExitCode.ShouldBe(0);
    }
}
