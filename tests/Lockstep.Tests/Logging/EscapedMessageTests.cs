using System.Text.Json.Nodes;
using Lockstep.Logging;
using Lockstep.Tests.Refresh;
using Lockstep.Tests.State;
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
    /// <summary>A run record's text (written by a run, or edited by hand) is shown escaped, one run a line, by every history view.</summary>
    [Theory]
    [InlineData("phase configure: \u001b[2Jcleared", "phase configure: \\x1b[2Jcleared")]
    [InlineData("first\nsecond \u001b]0;pwned\u0007", "first\\nsecond \\x1b]0;pwned\\x07")]
    [InlineData("carriage\rreturn", "carriage\\rreturn")]
    public void A_run_records_text_with_control_characters_is_shown_escaped(string message, string shown)
    {
        using var host = new RefreshHost();
        host.Script("configure", "10-fail", "exit 3");
        host.Run().ExitCode.ShouldBe(1);
        int[] linesBefore = [Lines(host.History()), Lines(host.History("--detail"))];
        string record = Directory.GetFiles(Path.Combine(host.StateDir, "runs"), "*.json").ShouldHaveSingleItem();
        var json = JsonNode.Parse(File.ReadAllText(record))!;
        json["message"] = message;
        File.WriteAllText(record, json.ToJsonString());

        foreach (string[] args in new[] { System.Array.Empty<string>(), ["--detail"] })
        {
            var result = host.History(args);

            result.ExitCode.ShouldBe(0, result.ToString());
            result.Stdout.ShouldContain(shown);
            result.Stdout.ShouldNotContain("\u001b");
            result.Stdout.ShouldNotContain("\r");
            Lines(result).ShouldBe(linesBefore[args.Length], result.ToString());
        }
    }

    private static int Lines(CliResult result) => result.Stdout.TrimEnd('\n').Split('\n').Length;

    /// <summary>A registry line is quoted escaped, and a giant one is cut, when state says what is wrong with it.</summary>
    [Theory]
    [InlineData("rel\u001b[2Jx;true", "'rel\\x1b[2Jx' is not an absolute path")]
    [InlineData("rel\u0007bell\u001b[0m;true", "'rel\\x07bell\\x1b[0m' is not an absolute path")]
    [InlineData("rel\rx;true", "'rel\\rx' is not an absolute path")]
    public void A_registry_line_with_control_characters_is_quoted_escaped(string line, string shown)
    {
        using var box = new StateSandbox();
        box.WriteRegistry(line);

        var result = box.Run("state", "list");

        result.ExitCode.ShouldBe(1, result.ToString());
        string error = result.Stderr.TrimEnd('\n').Split('\n').ShouldHaveSingleItem(result.ToString());
        error.ShouldContain($"{box.Registry}:1: {shown}");
        error.ShouldNotContain("\u001b");
        error.ShouldNotContain("\r");
    }

    [Fact]
    public void A_giant_registry_line_gives_one_line_of_bounded_length()
    {
        using var box = new StateSandbox();
        box.WriteRegistry(new string('r', 200_000) + ";true");

        var result = box.Run("state", "list");

        result.ExitCode.ShouldBe(1, result.ToString());
        string error = result.Stderr.TrimEnd('\n').Split('\n').ShouldHaveSingleItem();
        error.Length.ShouldBeLessThan(Printable.MaxLine + 200);
        error.ShouldContain("more characters)");
    }
}
