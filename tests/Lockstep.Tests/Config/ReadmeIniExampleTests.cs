using System.Text.RegularExpressions;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.Config;

/// <summary>
/// The README's configuration examples are read as configparser reads them: a '#' or ';' after a
/// value is part of the value, so an example with a comment after a value would not work as shown.
/// </summary>
public sealed partial class ReadmeIniExampleTests
{
    [Fact]
    public void No_ini_example_in_the_readme_puts_a_comment_after_a_value()
    {
        string readme = File.ReadAllText(Path.Combine(LockstepCli.RepositoryRoot(), "README.md"));
        var blocks = IniBlock().Matches(readme).Select(m => m.Groups[1].Value).ToList();
        blocks.Count.ShouldBeGreaterThan(3);

        var commented = blocks
            .SelectMany(block => block.Split('\n'))
            .Where(line => ValueWithComment().IsMatch(line))
            .ToList();

        commented.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("examples/update/update.ini")]
    [InlineData("packaging/update.ini")]
    public void No_shipped_configuration_puts_a_comment_after_a_value(string relative)
    {
        var lines = File.ReadAllLines(Path.Combine(LockstepCli.RepositoryRoot(), relative));

        lines.Where(line => ValueWithComment().IsMatch(line)).ShouldBeEmpty();
    }

    [GeneratedRegex(@"```ini\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex IniBlock();

    // A 'key = value' line (not a comment, not a continuation) whose value has whitespace then '#' or ';'.
    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.-]*\s*[=:]\s*\S.*\s[#;]")]
    private static partial Regex ValueWithComment();
}
