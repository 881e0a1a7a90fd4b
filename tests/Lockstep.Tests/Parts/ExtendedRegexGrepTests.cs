using Lockstep.Logging;
using Lockstep.Parts;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.Parts;

/// <summary>
/// README "RUN_PARTS_REGEX": side by side with GNU grep -E, as dib-run-parts filters names. For every
/// pattern and locale, grep runs on the same names; what grep rejects Lockstep rejects, and what grep
/// accepts matches exactly the names grep prints.
/// </summary>
public sealed class ExtendedRegexGrepTests
{
    /// <summary>The locales checked: bytes and ASCII classes, UTF-8 with code point order, UTF-8 and ISO-8859-1 with German collation.</summary>
    public static readonly string[] Locales = ["C", "C.UTF-8", "de_DE.UTF-8", "de_DE"];

    private static readonly string[] Names =
    [
        "10-foo", "foo.sh", "a", "aa", "aaa", "aaaa", "b", "ab", "abc", "abcabc", "x", "xa", "xy", "xay", "xaay",
        "*a", "+a", "?a", "a{1", "a{1,2", "a{,3}", "{1}", "1}a", "{", "}", "a)", "(a)", "()", "a|b", "a.b", "axb",
        "a-b", "a]b", "[x]", "a^b", "a$b", "^", "$", "*", "d", "D", "1", "12", "2024", "é", "É", "ü", "naïve", "Ω",
        "😀", "a😀b", "e", "ß", "under_score", "-5-neg", "x y", "tab\there", "back\\slash", "\\", "\\d", ":", "a:b",
        "ab0", "aa0", "a0", "bb", "abab", "Z", "B", "z", "-", "%", "+", "/", "²", "٣", ".hidden", "foo~",
        "x.dpkg-old", "café", "word end", " a", "a ", "ä1", "1ä", "w", "ww", "_", "A", "p", "pL", "t", "=a", "<n>a",
    ];

    private static readonly string[] Patterns =
    [
        // Plain ERE: alternation, grouping, repetition, anchors.
        "a", "^a$", "^a+$", "^a*$", "^a?$", "^(a|b)+$", "ab|cd", "^(ab)*$", "(a)(b)", "^.$", "^..$", "^...$", "^.*$",
        "a.b", @"a\.b", @"\.", "^[^.]", "~$", @"\.sh$", @"^[0-9A-Za-z_-]+$", "^[[:digit:]]+-[[:alpha:]]+$",
        // Intervals, GNU's edge cases included.
        "^a{2}$", "^a{2,}$", "^a{1,2}$", "^a{,3}$", "^a{,}$", "^a{0}$", "^(a){0}b$", "a{1", "^a{1$", "a{1,2", "^a{1,2$",
        "^a{1a}$", "^a{ 1}$", "^a{,a}$", "{", "^{$", "}", "^}$", "a{}", "a{1,2,3}", "a{2,1}", "a{32767}", "a{32768}",
        "^a{1}{2}$", "^a{1,2}{2}$", "^a{01}$",
        // Repetition of nothing, stacked repetition, lazy-looking forms that ERE reads as stacking.
        "*a", "^*a$", "^(*a)$", "^+a$", "^?a$", "^{1}a$", "a|*b", "^(+a)$", "^*", "^*$", "x**", "^x+*$", "^a+?$",
        "^xa+?y$", "^xa??y$", "^xa*?y$", "^a{1,2}?$", "^(a+)+$",
        // Empty pieces.
        "a|", "|", "()", "^()$", "(|a)", "^(|a)$", "a||b",
        // Anchors anywhere, parentheses unmatched.
        "a$b", "a^b", "x(^a)", "(^a)", "^$", "$", "^", "$a", "a^", "a)", "^a)$", ")", "(a", "((a)", "a(",
        // Bracket expressions.
        "^[]a]+$", "^[^]a]+$", "[a-]", "^[-a]$", "^[--/]$", "^[%--]$", "^[]-a]$", "[a-c-e]", "^[a-c-]$", "[z-a]",
        "^[a-a]$", "^[[]$", "^[[.-.]]$", "^[[.].]]$", "^[[.a.]-c]$", "^[a-[.c.]]$", "[[=a=]-c]", "^[[=a=]]$",
        "[[.ab.]]", "[[:foo:]]", "[:alpha:]", "[^:alpha:]", "^[:a]$", "^[::]$", "^[:]$", "[[:alpha:]-z]",
        "[a-[:alpha:]]", "[[:alpha:]", "[a", "[", "[]", "[^]", "^[\\]+$", @"^[\\d]$", "^[^[:space:]]+$",
        "^[[:alpha:]]$", "^[[:upper:]]$", "^[[:lower:]]$", "^[[:alnum:]]+$", "^[[:punct:]]$", "^[[:print:]]+$",
        "^[[:graph:]]+$", "^[[:space:]]", "[[:blank:]]", "^[[:xdigit:]]+$", "[[:cntrl:]]", "^[^[:alpha:]]$",
        "^[^a]$", "^[^ab]+$", "^[a-z]$", "^[A-Z]$", "^[a-z]+$", "^[0-9]$", "^[0-9]+$", "^[1-8]$", "^[éa]$",
        "^[a-é]$", "^[😀]$", "^[^😀]$", "^[[:alpha:]_]+$",
        // GNU escapes.
        @"^\w+$", @"^\W$", @"\s", @"^\S+$", @"\bend", @"a\b", @"\Ba", @"a\B", @"\<a", @"a\>", @"\<end\>",
        @"\`a", @"a\'", @"^\w$", @"\b", @"\B", @"^\<", @"\>$", @"^\b*a$",
        // Escaped specials and other punctuation: literal.
        @"^\*a$", @"^\+a$", @"^\{1\}$", @"^a\{1$", @"\(a\)", @"^a\|b$", @"\^", @"\$", @"\\", @"^\/$", @"^\-5", @"\é",
        @"^\%$", @"\", @"a\",
        // Back-references.
        @"^(a)\1$", @"^(ab)\1$", @"^(a)(b)\2$", @"^(a)\10$", @"(a)\2", @"(a\1)", @"(a)|\1", @"(a)(b)|\2",
        @"^((a)|b)\2$", @"^(a)*\1$", @"^(a*)\1$", @"^([ab])\1+$",
        // Several lines: several patterns, each with its own group numbers; an empty line matches all.
        "zz\nab", "zz\n(a)\\1", "a\n", "(a)\nb\\1",
        // Non-ASCII literals and dots.
        "^é$", "^é+$", "^😀$", "^a.b$", "^.{3}$", "^caf.$", "^na.ve$", "^..$", "ü", "^(é|ü)$",
    ];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (string locale in Locales)
        {
            foreach (string pattern in Patterns)
            {
                data.Add(locale, pattern);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_the_names_grep_E_matches(string locale, string pattern)
    {
        var grep = GnuGrep.Run(pattern, Names, locale);
        grep.ExitCode.ShouldBeOneOf([0, 1, 2], grep.Stderr);
        var regexLocale = RegexLocale.Named(locale);
        regexLocale.Name.ShouldBe(locale, $"locale {locale} is not installed; tools/test generates it");

        PartNameFilter filter;
        try
        {
            filter = PartNameFilter.FromEnvironment(pattern, regexLocale);
        }
        catch (PartsException e) when (!regexLocale.CodePointCollation && e.Message.Contains("follows the collation", StringComparison.Ordinal))
        {
            // Ranges and equivalence classes in a collating locale: refused by design (ExtendedRegexTests, RunPartsRegexTests).
            e.ExitCode.ShouldBe(PartsExitCodes.Usage);
            return;
        }
        catch (PartsException e) when (grep.ExitCode == 2)
        {
            e.ExitCode.ShouldBe(PartsExitCodes.Usage);
            e.Message.ShouldStartWith($"RUN_PARTS_REGEX='{Printable.Escape(pattern)}' is not a valid extended regular expression (", customMessage: grep.Stderr);
            return;
        }

        grep.ExitCode.ShouldNotBe(2, $"grep rejects it ({grep.Stderr.Trim()}), Lockstep accepted it");
        var matched = Names.Where(filter.Matches).ToList();
        matched.ShouldBe(grep.Matched, $"pattern {pattern} in {locale}");
    }
}
