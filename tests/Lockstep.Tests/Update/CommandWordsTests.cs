using Lockstep.Update;

namespace Lockstep.Tests.Update;

public sealed class CommandWordsTests
{
    [Theory]
    [InlineData("/usr/sbin/reboot", new[] { "/usr/sbin/reboot" })]
    [InlineData("  systemctl   reboot\t--no-wall ", new[] { "systemctl", "reboot", "--no-wall" })]
    [InlineData("shutdown -r +1 'kernel update'", new[] { "shutdown", "-r", "+1", "kernel update" })]
    [InlineData("echo \"a \\\"b\\\" $HOME\"", new[] { "echo", "a \"b\" $HOME" })]
    [InlineData("a\\ b c", new[] { "a b", "c" })]
    [InlineData("''", new[] { "" })]
    [InlineData("x'y'\"z\"", new[] { "xyz" })]
    [InlineData("\"a\\nb\"", new[] { "a\\nb" })] // inside "", only \" \\ \$ \` are escapes
    [InlineData("reboot; rm -rf /", new[] { "reboot;", "rm", "-rf", "/" })] // no shell: ';' is just a character
    [InlineData("", new string[0])]
    public void Commands_are_split_like_shell_words_without_expansion(string text, string[] words) =>
        CommandWords.Split(text).ShouldBe(words);

    [Theory]
    [InlineData("reboot 'now", "unterminated '")]
    [InlineData("reboot \"now", "unterminated \"")]
    [InlineData("reboot \\", "a backslash ends the line")]
    public void Unbalanced_quoting_is_refused(string text, string reason) =>
        Should.Throw<FormatException>(() => CommandWords.Split(text)).Message.ShouldContain(reason);
}
