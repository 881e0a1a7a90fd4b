using Lockstep.Parts;

namespace Lockstep.Tests.Parts;

public sealed class DibRunPartsArgumentsTests
{
    private static readonly HashSet<string> WithValue = ["--order", "--log-level"];

    [Theory]
    [InlineData("d", "d")]
    [InlineData("d extra", "d")]
    [InlineData("d --list --bogus x", "d")]
    [InlineData("--list d extra", "--list d")]
    [InlineData("--order lexical d x y", "--order lexical d")]
    [InlineData("--order=lexical d x", "--order=lexical d")]
    [InlineData("--log-level DEBUG --list d --order", "--log-level DEBUG --list d")]
    [InlineData("-- --list x", "-- --list")]
    [InlineData("--list", "--list")]
    [InlineData("--order", "--order")]
    [InlineData("", "")]
    public void Words_after_the_directory_are_dropped_as_dib_run_parts_ignores_them(string given, string kept) =>
        string.Join(' ', DibRunPartsArguments.UpToDirectory(Words(given), WithValue)).ShouldBe(kept);

    private static string[] Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
