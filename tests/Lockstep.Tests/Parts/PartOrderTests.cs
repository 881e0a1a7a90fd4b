using Lockstep.Parts;

namespace Lockstep.Tests.Parts;

public sealed class PartOrderTests
{
    [Fact]
    public void Numeric_order_matches_the_example_verified_against_dib_run_parts()
    {
        string[] expected = ["-5-neg", "0x10", "_u", "1", "2-x", "9a", "010-z", "10-A", "10-b", "10-y"];
        var shuffled = expected.Reverse().ToList();
        shuffled.Sort(PartOrder.CompareNumeric);
        shuffled.ShouldBe(expected);
    }

    [Theory]
    [InlineData("2", "10", -1)]
    [InlineData("10", "9", 1)]
    [InlineData("007", "7", -1)] // equal numbers: byte order of the whole name
    [InlineData("-0", "0", -1)] // -0 is zero; '-' sorts before '0'
    [InlineData("-10", "-9", -1)]
    [InlineData("abc", "0", 1)] // no number counts as 0; then 'a' > '0'
    [InlineData("1.5", "1.10", 1)] // sort -n reads a decimal point
    [InlineData("99999999999999999999a", "99999999999999999998b", 1)] // beyond 64 bits
    [InlineData("-", "0", -1)]
    [InlineData(" 5", "4", 1)] // leading blanks are skipped
    public void Numeric_comparison_follows_sort_n(string a, string b, int sign)
    {
        Math.Sign(PartOrder.CompareNumeric(a, b)).ShouldBe(sign);
        Math.Sign(PartOrder.CompareNumeric(b, a)).ShouldBe(-sign);
    }

    [Theory]
    [InlineData("10", "9", -1)]
    [InlineData("B", "a", -1)]
    [InlineData("a", "ab", -1)]
    [InlineData("\uE000", "\U0001F600", -1)] // UTF-8 byte order, not UTF-16 order
    public void Lexical_order_is_byte_order(string a, string b, int sign) =>
        Math.Sign(PartOrder.CompareBytes(a, b)).ShouldBe(sign);
}
