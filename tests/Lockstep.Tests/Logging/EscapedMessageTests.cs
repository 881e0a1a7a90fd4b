using Lockstep.Logging;
using Lockstep.Tests.Support;
using Lockstep.Tests.Update;

namespace Lockstep.Tests.Logging;

/// <summary>Whatever a message quotes cannot break its line with control characters or flood it.</summary>
public sealed class EscapedMessageTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a\nb", "a\\nb")]
    [InlineData("tab\there", "tab\\there")]
    [InlineData("\u001b[31mred", "\\x1b[31mred")]
    [InlineData("cr\rbell\a", "cr\\rbell\\x07")]
    [InlineData("nul\0", "nul\\x00")]
    public void Control_characters_are_escaped(string text, string shown) => Printable.Escape(text).ShouldBe(shown);

    [Fact]
    public void A_giant_value_is_cut_with_a_note_of_how_much_was_left_out()
    {
        string shown = Printable.Escape(new string('x', 100_000));
        shown.Length.ShouldBeLessThan(Printable.MaxLine + 40);
        shown.ShouldEndWith("...(95904 more characters)");
    }

    [Fact]
    public void A_directory_name_with_control_characters_stays_on_one_escaped_line()
    {
        using var temp = new TempDir();
        string dir = temp.Path + "/no\u001b[2Jsuch\ndir";

        var result = LockstepCli.Run("run-parts", dir);

        result.ExitCode.ShouldBe(1, result.ToString());
        var line = result.Stderr.TrimEnd('\n').Split('\n').ShouldHaveSingleItem();
        line.ShouldContain("no\\x1b[2Jsuch\\ndir");
        line.ShouldNotContain("\u001b");
    }

    [Theory]
    [InlineData("script_timeout = \u001b]0;pwned\u0007", "'\\x1b]0;pwned\\x07'")]
    [InlineData("loglevel = \u001b[2J", "'\\x1b[2J'")]
    public void A_configuration_value_with_control_characters_is_escaped(string line, string shown)
    {
        using var host = new UpdateHost(line);

        var result = host.Update();

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Stderr.ShouldContain(shown);
        result.Stderr.ShouldNotContain("\u001b");
    }

    [Fact]
    public void A_giant_configuration_value_gives_one_line_of_bounded_length()
    {
        using var host = new UpdateHost("script_timeout = " + new string('9', 200_000) + "x");

        var result = host.Update();

        result.ExitCode.ShouldBe(3, result.ToString());
        var errorLine = result.Stderr.TrimEnd('\n').Split('\n').ShouldHaveSingleItem();
        errorLine.Length.ShouldBeLessThan(Printable.MaxLine + 200);
        errorLine.ShouldContain("more characters)");
    }
}
