using Lockstep.Parts;

namespace Lockstep.Tests.Parts;

/// <summary>README "RUN_PARTS_REGEX": what each extended-regex construct becomes in .NET, and what is refused.</summary>
public sealed class ExtendedRegexTests
{
    private static readonly RegexLocale Utf8 = RegexLocale.Named("C.UTF-8");

    [Theory]
    [InlineData("a", "a")]
    [InlineData("^a$", @"^a\z")] // $ is the end of the name, never "before a final newline"
    [InlineData("a$b", @"a\zb")] // anchors anywhere
    [InlineData("a.b", @"a[^\n]b")] // one byte in the C locale
    [InlineData("*a", "(?:)*a")] // a leading repetition repeats nothing
    [InlineData("a|*b", "a|(?:)*b")]
    [InlineData("{1}a", "(?:){1}a")]
    [InlineData("^*", "(?:^)*")] // an anchor can be repeated
    [InlineData("a**", "(?:a*)*")] // stacked repetitions
    [InlineData("a+?", "(?:a+)?")] // not lazy: (a+)?
    [InlineData("a??", "(?:a?)?")]
    [InlineData("a{,3}", "a{0,3}")]
    [InlineData("a{,}", "a{0,}")]
    [InlineData("a{2,}", "a{2,}")]
    [InlineData("a{1}{2}", "(?:a{1}){2}")]
    [InlineData("a{1", @"a\u007B1")] // not an interval: a literal {
    [InlineData(@"a\{", @"a\u007B")]
    [InlineData("a|", "a|")]
    [InlineData("()", "()")]
    [InlineData("(|a)", "(|a)")]
    [InlineData("a)", @"a\u0029")] // an unmatched ) is a literal
    [InlineData(@"(a)\1", @"(a)\k<1>")]
    [InlineData("zz\n(a)\\1", @"(?:zz)|(?:(a)\k<1>)")] // each line a pattern, with its own group numbers
    [InlineData("a\n", "(?:a)|(?:)")]
    [InlineData("[]a]", @"[\u005D\u0061]")]
    [InlineData("[^]a]", @"[\u0000-\u0009\u000B-\u005C\u005E-\u0060\u0062-\u00FF]")]
    [InlineData("[a-]", @"[\u002D\u0061]")]
    [InlineData("[[.-.]a]", @"[\u002D\u0061]")]
    [InlineData("[[=a=]]", @"[\u0061]")]
    [InlineData(@"[\]", @"[\u005C]")] // a backslash in brackets is itself
    [InlineData("[[:digit:]]", @"[\u0030-\u0039]")]
    [InlineData("[^[:alpha:]]", @"[\u0000-\u0009\u000B-\u0040\u005B-\u0060\u007B-\u00FF]")]
    [InlineData(@"\w", @"[\u0030-\u0039\u0041-\u005A\u005F\u0061-\u007A]")]
    [InlineData(@"\.", @"\u002E")]
    [InlineData(@"\`a\'", @"^a\z")]
    [InlineData("x y#", @"x\u0020y\u0023")]
    [InlineData("é", @"\u00C3\u00A9")] // two bytes in the C locale
    [InlineData(@"\é", @"\u00C3\u00A9")]
    public void Translates_as_grep_E_reads_it_in_the_C_locale(string pattern, string expected) =>
        ExtendedRegex.Translate(pattern, RegexLocale.C).ShouldBe(expected);

    [Theory]
    [InlineData(".", @"(?:[\uD800-\uDBFF][\uDC00-\uDFFF]|[^\n\uD800-\uDFFF])", @"[^\n\uD800-\uDFFF]")]
    [InlineData("é", @"\u00E9", @"\u00E9")]
    [InlineData("😀", @"(?:\uD83D\uDE00)", @"[^\s\S]")]
    [InlineData("[😀é]", @"(?:[\u00E9]|\uD83D[\uDE00])", @"[\u00E9]")]
    [InlineData("[[:digit:]]", @"[\u0030-\u0039]", @"[\u0030-\u0039]")]
    public void In_a_UTF_8_locale_a_character_is_a_code_point(string pattern, string expected, string withoutAstral)
    {
        ExtendedRegex.Translate(pattern, Utf8).ShouldBe(expected);
        ExtendedRegex.Translate(pattern, Utf8, astral: false).ShouldBe(withoutAstral);
    }

    [Theory]
    [InlineData(@"\d", @"write [0-9]")]
    [InlineData(@"\D", @"write [^0-9]")]
    [InlineData(@"\p{L}", "write a POSIX class such as [[:alpha:]]")]
    [InlineData(@"\P{L}", "write a POSIX class")]
    [InlineData(@"\Aa", "write ^")]
    [InlineData(@"a\z", "write $")]
    [InlineData(@"a\Z", "write $")]
    [InlineData(@"a\tb", "[[:blank:]] or the tab character itself")]
    [InlineData(@"a\n", "a name never holds a line break")]
    [InlineData(@"\x41", "write the character itself")]
    [InlineData(@"\u0041", "write the character itself")]
    [InlineData(@"\0", "write '0' without the backslash")]
    [InlineData(@"\k<n>", "write 'k' without the backslash")]
    [InlineData(@"\G", "write 'G' without the backslash")]
    [InlineData("(?=a)", "(?=...) (a lookahead) is .NET syntax")]
    [InlineData("(?!a)", "(?!...) (a negative lookahead)")]
    [InlineData("(?<=a)b", "(?<=...) (a lookbehind)")]
    [InlineData("(?<!a)b", "(?<!...) (a negative lookbehind)")]
    [InlineData("(?<n>a)", "(?<name>...) (a named group)")]
    [InlineData("(?'n'a)", "(?<name>...) (a named group)")]
    [InlineData("(?P<n>a)", "(?<name>...) (a named group)")]
    [InlineData("(?:a)", "write a plain group (...)")]
    [InlineData("(?i)a", "(?flags) (inline options)")]
    [InlineData("(?i:a)", "(?flags) (inline options)")]
    [InlineData("(?>a)", "(?>...) (an atomic group)")]
    [InlineData("(?#note)a", "remove the comment")]
    [InlineData(@"[\d]", @"inside [...] grep -E reads \d as the two characters '\' and 'd'")]
    [InlineData(@"[\w-]", "write [_[:alnum:]]")]
    [InlineData(@"[^\s]", "write [[:space:]]")]
    [InlineData(@"[a\S]", "write [^[:space:]]")]
    [InlineData(@"[\\\d]", @"\d is not part")] // \\ is a pair, the third \ starts \d
    public void Dotnet_syntax_is_refused_with_the_fix(string pattern, string fix)
    {
        var error = Should.Throw<ExtendedRegexException>(() => ExtendedRegex.Translate(pattern, Utf8));

        error.Refused.ShouldBeTrue();
        error.Message.ShouldContain(fix);
    }

    [Theory]
    [InlineData(@"[\\d]")] // a backslash and a d, in .NET as in grep
    [InlineData(@"[\.]")]
    [InlineData(@"\-")]
    [InlineData(@"\/")]
    public void Backslashes_both_read_alike_are_accepted(string pattern) =>
        Should.NotThrow(() => ExtendedRegex.Translate(pattern, Utf8));

    [Fact]
    public void What_grep_E_rejects_is_reported_before_a_refusal()
    {
        var error = Should.Throw<ExtendedRegexException>(() => ExtendedRegex.Translate(@"\d(", Utf8));

        error.Refused.ShouldBeFalse();
        error.Message.ShouldBe(@"Unmatched ( or \(");
    }

    [Theory]
    [InlineData("[a-z]", "the range a-z follows the collation order of the locale de_DE.UTF-8")]
    [InlineData("[[=e=]]", "the equivalence class [=e=] follows the collation of the locale de_DE.UTF-8")]
    public void Ranges_of_a_collating_locale_are_refused(string pattern, string message)
    {
        var error = Should.Throw<ExtendedRegexException>(() => ExtendedRegex.Translate(pattern, RegexLocale.Named("de_DE.UTF-8")));

        error.Refused.ShouldBeTrue();
        error.Message.ShouldStartWith(message);
    }

    [Theory]
    [InlineData("[0-9]")] // grep takes a range of digits by code point in every locale
    [InlineData("[[:lower:]]")]
    [InlineData("[[.a.]]")]
    public void Digit_ranges_and_classes_are_exact_in_a_collating_locale(string pattern) =>
        Should.NotThrow(() => ExtendedRegex.Translate(pattern, RegexLocale.Named("de_DE.UTF-8")));
}
