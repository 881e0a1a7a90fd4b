using Lockstep.Tests.Support;

namespace Lockstep.Tests.Update;

/// <summary>README "RUN_PARTS_REGEX" for lockstep update: read as grep -E reads it; rejected or refused is status 3 with nothing run.</summary>
public sealed class UpdateRunPartsRegexTests : IDisposable
{
    private readonly UpdateHost _host = new();

    public void Dispose() => _host.Dispose();

    [Theory]
    [InlineData(@"^[0-9]+-\d", @"\d is not part of extended regular expressions")]
    [InlineData("^(?!x)", "(?!...) (a negative lookahead) is .NET syntax")]
    [InlineData("^(10", @"is not a valid extended regular expression (Unmatched ( or \()")]
    [InlineData("[[:nosuch:]]", "is not a valid extended regular expression (Invalid character class name)")]
    public void A_rejected_or_refused_pattern_is_bad_input_and_runs_nothing(string pattern, string message)
    {
        var result = _host.Update(new() { ["RUN_PARTS_REGEX"] = pattern, ["LC_ALL"] = "C.UTF-8" });

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Stderr.ShouldContain($"RUN_PARTS_REGEX='{pattern}'");
        result.Stderr.ShouldContain(message);
        _host.Ran.ShouldBeEmpty();
        _host.LockHolder.ShouldBeNull();
    }

    [Fact]
    public void Classes_follow_the_locale()
    {
        _host.Dir.Script("update.d/20-café", "echo café ran");

        var utf8 = _host.Update(new() { ["RUN_PARTS_REGEX"] = "^[0-9]+-[[:alpha:]-]+$", ["LC_ALL"] = "C.UTF-8" });

        utf8.ExitCode.ShouldBe(0, utf8.ToString());
        utf8.Stdout.ShouldContain("café ran");

        var c = _host.Update(new() { ["RUN_PARTS_REGEX"] = "^[0-9]+-[[:alpha:]-]+$", ["LC_ALL"] = "C" });

        c.ExitCode.ShouldBe(0, c.ToString());
        c.Stdout.ShouldNotContain("café ran");
    }
}
