using Lockstep.Tests.Support;

namespace Lockstep.Tests.Parts;

/// <summary>A duration too large for any timer is a usage error with one line (exit 2), never an overflow (exit 70).</summary>
public sealed class HugeDurationTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("run-parts", "--script-timeout", "1e300")]
    [InlineData("run-parts", "--kill-grace", "1e300")]
    [InlineData("run-parts", "--script-timeout", "2000001")]
    [InlineData("run-parts", "--kill-grace", "1.8e308")]
    [InlineData("refresh", "--script-timeout", "1e300")]
    [InlineData("refresh", "--error-timeout", "1e300")]
    [InlineData("refresh", "--wait-lock", "1e300")]
    [InlineData("refresh", "--kill-grace", "9e99")]
    public void A_huge_duration_is_refused_with_one_line_and_status_2(string command, string option, string value)
    {
        _temp.Script("parts/10-x", "echo ran");
        string[] args = command == "run-parts"
            ? [command, option, value, _temp["parts"]]
            : [command, option, value, "--base-dir", _temp.Path, "--lockfile", _temp["lock"], "--state-dir", _temp["state"]];

        var result = LockstepCli.Run(args);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stdout.ShouldBeEmpty();
        result.Stderr.ShouldContain($"{option} takes a number of seconds from 0 to 2000000 (about 23 days), not '{value}'");
    }
}
