using Lockstep.Parts;

namespace Lockstep.Tests.Parts;

public sealed class PartNameFilterTests
{
    [Theory]
    [InlineData("10-foo", true)]
    [InlineData("_u", true)]
    [InlineData("-5-neg", true)]
    [InlineData("foo.sh", false)]
    [InlineData("foo~", false)]
    [InlineData(".hidden", false)]
    [InlineData("x.dpkg-old", false)]
    [InlineData("with space", false)]
    [InlineData("", false)]
    [InlineData("naïve", false)]
    public void The_default_filter_is_dib_run_parts_pattern(string name, bool matches) =>
        PartNameFilter.Default.Matches(name).ShouldBe(matches);

    [Theory]
    [InlineData("^[[:digit:]]+-[[:alpha:]]+$", "10-abc", true)]
    [InlineData("^[[:digit:]]+-[[:alpha:]]+$", "10-ab1", false)]
    [InlineData("^[^[:space:]]+$", "a b", false)]
    [InlineData(@"^[\]+$", @"a\b", false)] // backslash is literal inside a POSIX bracket
    [InlineData(@"^[\]+$", @"\\", true)]
    [InlineData("^[]a]+$", "]a]", true)] // a leading ] is literal
    [InlineData("sh", "foo.sh", true)] // unanchored, as grep -E
    [InlineData("(a|b)c", "xbc", true)]
    public void Run_parts_regex_is_an_extended_regex(string pattern, string name, bool matches) =>
        PartNameFilter.FromEnvironment(pattern, RegexLocale.C).Matches(name).ShouldBe(matches);

    [Theory]
    [InlineData("([unclosed")]
    [InlineData("[[:nosuch:]]")]
    [InlineData("[abc")]
    public void An_invalid_pattern_names_the_variable_and_is_a_usage_error(string pattern)
    {
        var error = Should.Throw<PartsException>(() => PartNameFilter.FromEnvironment(pattern, RegexLocale.C));
        error.ExitCode.ShouldBe(PartsExitCodes.Usage);
        error.Message.ShouldStartWith($"RUN_PARTS_REGEX='{pattern}' is not a valid extended regular expression");
    }

    [Fact]
    public void An_unset_variable_means_the_default_filter() =>
        PartNameFilter.FromEnvironment(null, RegexLocale.C).ShouldBeSameAs(PartNameFilter.Default);
}
