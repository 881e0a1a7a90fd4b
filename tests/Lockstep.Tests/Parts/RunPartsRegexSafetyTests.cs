using Lockstep.Tests.Support;

namespace Lockstep.Tests.Parts;

/// <summary>A RUN_PARTS_REGEX that would backtrack catastrophically is matched in linear time (or refused with status 2), never exit 70.</summary>
public sealed class RunPartsRegexSafetyTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("^(a+)+$")]
    [InlineData("^(a|aa)+$")]
    [InlineData("^(a|a?)+$")]
    [InlineData("^(.*a){25}$")]
    [InlineData("^([a-z]+)*[0-9]$")]
    public void A_catastrophic_pattern_still_selects_in_no_time(string pattern)
    {
        _temp.Script("parts/" + new string('a', 40) + "!", "echo evil-name");
        _temp.Script("parts/aaaa", "echo ran");

        var result = LockstepCli.RunWith(new CliOptions { Environment = { ["RUN_PARTS_REGEX"] = pattern }, Timeout = TimeSpan.FromSeconds(30) }, "run-parts", "--list", _temp["parts"]);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldNotContain("!");
    }
}
