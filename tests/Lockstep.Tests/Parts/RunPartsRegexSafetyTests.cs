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

    public static TheoryData<string, string, string> Huge() => new()
    {
        { new string('(', 30000) + "a" + new string(')', 30000), "C", "the pattern nests groups more than 100 deep" },
        { "a" + new string('*', 60000), "C", "the pattern nests repetitions more than 100 deep" },
        { string.Concat(Enumerable.Repeat("(a|", 5000)) + "b" + new string(')', 5000), "C", "the pattern nests groups more than 100 deep" },
        { string.Concat(Enumerable.Repeat("[[:alpha:]]", 400)), "C.UTF-8", "the pattern is too large to match safely" },
    };

    [Theory]
    [MemberData(nameof(Huge))]
    public void A_pattern_too_deep_or_too_large_is_refused_in_one_short_line(string pattern, string locale, string message)
    {
        _temp.Script("parts/10-a", "echo ran");

        var result = LockstepCli.RunWith(
            new CliOptions { Environment = { ["RUN_PARTS_REGEX"] = pattern, ["LC_ALL"] = locale }, Timeout = TimeSpan.FromSeconds(30) }, "run-parts", _temp["parts"]);

        result.ExitCode.ShouldBe(2, result.ToString()[..Math.Min(2000, result.ToString().Length)]);
        result.Stdout.ShouldBe("");
        string line = result.Stderr.Trim().Split('\n').ShouldHaveSingleItem();
        line.ShouldContain(message);
        line.ShouldEndWith("; simplify it");
        line.Length.ShouldBeLessThan(600);
    }

    [Fact]
    public void Nesting_up_to_the_limit_is_matched()
    {
        _temp.Script("parts/10-a", "echo ran");
        string pattern = new string('(', 100) + "10-a" + new string(')', 100) + "$";

        var result = LockstepCli.RunWith(new CliOptions { Environment = { ["RUN_PARTS_REGEX"] = pattern } }, "run-parts", "--list", _temp["parts"]);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldBe(_temp["parts"] + "/10-a\n");
    }

    [Fact]
    public void A_pattern_of_several_lines_is_shown_on_one()
    {
        var result = LockstepCli.RunWith(new CliOptions { Environment = { ["RUN_PARTS_REGEX"] = "^a\n\\d" } }, "run-parts", "--list", _temp.Dir("parts"));

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain(@"RUN_PARTS_REGEX='^a\n\d': \d is not part of extended regular expressions");
    }
}
