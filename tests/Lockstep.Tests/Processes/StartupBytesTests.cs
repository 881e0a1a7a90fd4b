using System.Text;
using Lockstep.Processes;

namespace Lockstep.Tests.Processes;

/// <summary>The kernel's argv and environment replace .NET's lossy decoding of them only where they are the same words.</summary>
public sealed class StartupBytesTests
{
    private static readonly byte[] Latin1 = [0x63, 0x61, 0x66, 0xE9];
    private static readonly byte[] Surrogate = [0x2F, 0xED, 0xA0, 0x80];

    [Fact]
    public void Arguments_get_their_exact_bytes_after_the_program_words()
    {
        byte[][] argv = [Bytes("/usr/bin/lockstep"), Bytes("run-parts"), Latin1, Surrogate, []];

        var exact = StartupBytes.Recover(argv, ["run-parts", "caf\uFFFD", "/\uFFFD\uFFFD", ""]);

        exact.ShouldBe(["run-parts", "caf\uDCE9", "/\uDCED\uDCA0\uDC80", ""]);
    }

    [Fact]
    public void Words_before_the_arguments_are_the_program_however_many()
    {
        byte[][] argv = [Bytes("dotnet"), Bytes("lockstep.dll"), Latin1];

        StartupBytes.Recover(argv, ["caf\uFFFD\uFFFD"]).ShouldBe(["caf\uDCE9"]);
    }

    [Theory]
    [InlineData("other")]
    [InlineData("caf")]
    [InlineData("caf\uFFFDx")]
    public void Arguments_that_are_not_the_kernels_words_are_kept_as_dotnet_gave_them(string argument)
    {
        byte[][] argv = [Bytes("lockstep"), Latin1];

        StartupBytes.Recover(argv, [argument]).ShouldBe([argument]);
    }

    [Fact]
    public void Without_the_kernels_words_the_arguments_stay()
    {
        StartupBytes.Recover(null, ["a"]).ShouldBe(["a"]);
        StartupBytes.Recover([Bytes("lockstep")], ["a", "b"]).ShouldBe(["a", "b"]);
    }

    [Fact]
    public void A_nul_separated_block_splits_into_its_words_empty_ones_included()
    {
        var words = StartupBytes.Split([0x61, 0, 0, 0x62, 0xE9, 0]);

        words.ShouldBe([[0x61], [], [0x62, 0xE9]]);
    }

    [Fact]
    public void Environment_variables_get_their_exact_bytes_unless_changed_since_start()
    {
        var variables = new List<KeyValuePair<string, string>>
        {
            new("DIR", "caf\uFFFD"),
            new("CHANGED", "x\uFFFD"),
            new("K\uFFFD", "v"),
            new("PLAIN", "p"),
        };
        byte[][] startup = [[.. Bytes("DIR="), .. Latin1], [.. Bytes("CHANGED=y"), 0xFF], [0x4B, 0xFF, 0x3D, 0x76], Bytes("PLAIN=p")];

        ProcessEnvironment.Recover(variables, startup);

        variables.ShouldBe(
        [
            new("DIR", "caf\uDCE9"),
            new("CHANGED", "x\uFFFD"),
            new("K\uDCFF", "v"),
            new("PLAIN", "p"),
        ]);
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
