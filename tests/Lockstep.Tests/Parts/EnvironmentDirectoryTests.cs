using Lockstep.Tests.Support;

namespace Lockstep.Tests.Parts;

/// <summary>environment.d is the physical parent's, as dib-run-parts' $DIR/../environment.d, and it runs under the per-script timeout.</summary>
public sealed class EnvironmentDirectoryTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("link")]
    [InlineData("a/b/link")]
    [InlineData("link/")]
    public void A_script_directory_reached_through_a_symlink_sources_its_physical_parents_environment_d(string link)
    {
        _temp.File("real/environment.d/10-a", "export FROM=physical\n");
        _temp.File("real/environment.d/20-b", "export ALSO=physical-b\n");
        _temp.Script("real/parts/10-show", "echo \"$FROM|${ALSO:-}|${LEXICAL:-}\"");
        string linkPath = _temp[link.TrimEnd('/')];
        Directory.CreateDirectory(Path.GetDirectoryName(linkPath)!);
        _temp.File(Path.GetRelativePath(_temp.Path, Path.GetDirectoryName(linkPath)!) + "/environment.d/10-a", "export FROM=lexical\nexport LEXICAL=yes\n");
        File.CreateSymbolicLink(linkPath, _temp["real/parts"]);

        var result = LockstepCli.Run("run-parts", _temp[link]);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldBe("physical|physical-b|\n");
    }

    [Theory]
    [InlineData("sleep 300")]
    [InlineData("while :; do :; done")]
    [InlineData("sleep 300 & wait")]
    public void An_environment_file_that_hangs_is_killed_by_the_script_timeout(string body)
    {
        _temp.File("environment.d/10-hang", body + "\n");
        string marker = _temp["ran"];
        _temp.Script("parts/10-a", $"touch '{marker}'");

        var result = LockstepCli.RunWith(new CliOptions { Timeout = TimeSpan.FromSeconds(60) }, "run-parts", "--script-timeout", "1", "--kill-grace", "1", _temp["parts"]);

        result.ExitCode.ShouldBe(124, result.ToString());
        File.Exists(marker).ShouldBeFalse();
        result.Stderr.ShouldContain($"environment file {_temp["environment.d/10-hang"]} failed with status 124; no script was run");
    }
}
