using System.Text;

namespace Lockstep.Parts;

/// <summary>
/// Translates a POSIX extended regular expression as GNU grep -E reads it into a .NET pattern that
/// matches the same names: same grammar (GNU's edge cases included: a leading <c>*</c> repeats
/// nothing, <c>a{1</c> is literal, anchors anywhere, stacked repetitions), same escapes, same
/// character classes and ranges in the <see cref="RegexLocale"/>. .NET syntax that grep -E lacks or
/// reads otherwise (<c>\d</c>, lookarounds, named groups) is refused with the fix. Only whether a
/// name matches is kept (grep's leftmost-longest and .NET's leftmost-first agree on that).
/// See README "RUN_PARTS_REGEX".
/// </summary>
internal sealed class ExtendedRegex
{
    /// <summary>glibc's RE_DUP_MAX: the largest count an interval may give.</summary>
    private const int DuplicateMax = 0x7fff;

    /// <summary>
    /// The deepest nesting of groups, or of repetitions stacked on one atom, Lockstep takes: grep
    /// itself overflows its stack on 30000 nested groups and spins on 60000 stacked stars, and .NET
    /// takes seconds to build such a matcher. Real patterns nest a few levels.
    /// </summary>
    internal const int MaxNesting = 100;

    /// <summary>The longest .NET pattern Lockstep builds a matcher for (about 300 classes of a UTF-8 locale).</summary>
    internal const int MaxTranslation = 2_000_000;

    private readonly int[] _p;
    private readonly RegexLocale _locale;
    private readonly int _groupOffset;
    private readonly bool _astral;
    private readonly HashSet<int> _completed = [];
    private int _i;
    private int _depth;
    private int _groups;

    /// <summary>The first .NET construct refused; kept until the whole pattern is read, so that what grep -E itself rejects is reported first.</summary>
    private string? _refusal;

    private ExtendedRegex(int[] units, RegexLocale locale, int groupOffset, bool astral)
    {
        _astral = astral && locale.CodePoints;
        _p = units;
        _locale = locale;
        _groupOffset = groupOffset;
    }

    /// <summary>
    /// The .NET pattern (without <paramref name="astral"/>, for names that hold no code point above
    /// U+FFFF: see <see cref="UnitSet.ToPattern"/>); throws <see cref="ExtendedRegexException"/> for what grep -E rejects and for the .NET syntax refused.</summary>
    public static string Translate(string pattern, RegexLocale locale, bool astral = true)
    {
        if (locale.UnsupportedCharset is { } charset)
        {
            throw Refuse($"the locale {locale.Name} uses the charset {charset}, which Lockstep cannot read names in; run with LC_ALL=C.UTF-8 or another UTF-8 or single-byte locale");
        }

        // grep -E takes each line of a pattern as a pattern of its own, any of which may match.
        var lines = pattern.Split('\n');
        var result = new StringBuilder();
        int groups = 0;
        foreach (string line in lines)
        {
            var parser = new ExtendedRegex(Units(line, locale), locale, groups, astral);
            string translated = parser.Parse();
            if (parser._refusal is { } refusal)
            {
                throw Refuse(refusal);
            }

            groups += parser._groups;
            result.Append(result.Length > 0 ? "|" : "").Append(lines.Length > 1 ? "(?:" + translated + ")" : translated);
            if (result.Length > MaxTranslation)
            {
                throw Refuse($"the pattern is too large to match safely (more than {MaxTranslation} characters once translated; each [:class:] of a UTF-8 locale is thousands); simplify it");
            }
        }

        return result.ToString();
    }

    /// <summary>The units grep would see: code points in a UTF-8 locale, the bytes of UTF-8 in a single-byte one.</summary>
    internal static int[] Units(string text, RegexLocale locale)
    {
        if (locale.CodePoints)
        {
            var units = new List<int>(text.Length);
            foreach (var rune in text.EnumerateRunes())
            {
                units.Add(rune.Value);
            }

            return [.. units];
        }

        return [.. Encoding.UTF8.GetBytes(text).Select(b => (int)b)];
    }

    private static ExtendedRegexException Invalid(string reason) => new(reason, refused: false);

    private static ExtendedRegexException Refuse(string reason) => new(reason, refused: true);

    private void Defer(string reason) => _refusal ??= reason;

    private bool AtEnd => _i >= _p.Length;

    private int Peek(int ahead = 0) => _i + ahead < _p.Length ? _p[_i + ahead] : -1;

    private string Parse()
    {
        string body = Alternation();
        if (!AtEnd)
        {
            // Only an unmatched ')' stops a branch at depth 0, and that is a literal: Branch takes it.
            throw new InvalidOperationException("ERE parser stopped early");
        }

        return body;
    }

    private string Alternation()
    {
        // A back-reference may name only a group closed earlier in its own branch (gnulib's rule).
        var before = new HashSet<int>(_completed);
        var after = new HashSet<int>(_completed);
        var branches = new List<string> { Branch() };
        after.UnionWith(_completed);
        while (Peek() == '|')
        {
            _i++;
            _completed.Clear();
            _completed.UnionWith(before);
            branches.Add(Branch());
            after.UnionWith(_completed);
        }

        _completed.Clear();
        _completed.UnionWith(after);
        return string.Join('|', branches);
    }

    private string Branch()
    {
        var result = new StringBuilder();
        bool start = true;
        while (!AtEnd && Peek() != '|' && !(Peek() == ')' && _depth > 0))
        {
            result.Append(Closure(start));
            start = false;
        }

        return result.ToString();
    }

    private string Closure(bool start)
    {
        // At the start of a branch a repetition operator repeats nothing (GNU: "* at start of expression").
        var (atom, single) = start && IsRepetitionHere() ? ("", false) : Atom();
        for (int stacked = 1; !AtEnd; stacked++)
        {
            string? quantifier = Repetition();
            if (quantifier is null)
            {
                break;
            }

            if (stacked + _depth > MaxNesting)
            {
                throw Refuse(TooDeep("repetitions"));
            }

            atom = (single ? atom : "(?:" + atom + ")") + quantifier;
            single = false;
        }

        return atom;
    }

    private static string TooDeep(string what) =>
        $"the pattern nests {what} more than {MaxNesting} deep, which Lockstep does not build a matcher for (grep -E itself overflows its stack or spins on such patterns); simplify it";

    private bool IsRepetitionHere()
    {
        int c = Peek();
        if (c is '*' or '+' or '?')
        {
            return true;
        }

        if (c != '{')
        {
            return false;
        }

        int saved = _i;
        bool interval = Interval() is not null;
        _i = saved;
        return interval;
    }

    /// <summary>The .NET quantifier at the cursor (consumed), or null when none is there.</summary>
    private string? Repetition()
    {
        switch (Peek())
        {
            case '*':
                _i++;
                return "*";
            case '+':
                _i++;
                return "+";
            case '?':
                _i++;
                return "?";
            case '{':
                int saved = _i;
                var interval = Interval();
                if (interval is null)
                {
                    _i = saved;
                    return null;
                }

                var (min, max) = interval.Value;
                return max == min ? $"{{{min}}}" : max < 0 ? $"{{{min},}}" : $"{{{min},{max}}}";
            default:
                return null;
        }
    }

    /// <summary>
    /// An interval at '{' as glibc reads it (consumed): (min, max) with max -1 for no limit, or null
    /// when it is not an interval and the '{' is a literal; throws for the forms glibc rejects.
    /// </summary>
    private (int Min, int Max)? Interval()
    {
        _i++;
        var (min, stop) = Number();
        if (min == -1)
        {
            if (stop != ',')
            {
                throw Invalid(@"Invalid content of \{\}");
            }

            min = 0;
        }

        if (min == -2)
        {
            return null;
        }

        int max = min;
        if (stop == ',')
        {
            (max, stop) = Number();
            if (max == -2)
            {
                return null;
            }
        }

        if (stop != '}' || (max != -1 && min > max))
        {
            throw Invalid(@"Invalid content of \{\}");
        }

        if ((max == -1 ? min : max) > DuplicateMax)
        {
            throw Invalid("Regular expression too big");
        }

        return (min, max);
    }

    /// <summary>glibc's fetch_number: digits up to ',' or '}' (consumed); -1 for none, -2 for anything else or the end.</summary>
    private (int Value, int Stop) Number()
    {
        int value = -1;
        while (true)
        {
            if (AtEnd)
            {
                return (-2, -1);
            }

            int c = _p[_i++];
            if (c is '}' or ',')
            {
                return (value, c);
            }

            if (c == '\\')
            {
                value = -2;
                _i = Math.Min(_i + 1, _p.Length);
                continue;
            }

            value = c is < '0' or > '9' || value == -2 ? -2 : value == -1 ? c - '0' : Math.Min(DuplicateMax + 1, value * 10 + c - '0');
        }
    }

    private (string Pattern, bool Single) Atom()
    {
        int c = _p[_i++];
        switch (c)
        {
            case '(':
                return (Group(), true);
            case ')':
                return (Literal(c), true);
            case '.':
                return (_astral ? @"(?:[\uD800-\uDBFF][\uDC00-\uDFFF]|[^\n\uD800-\uDFFF])" : _locale.CodePoints ? @"[^\n\uD800-\uDFFF]" : @"[^\n]", true);
            case '[':
                return (Bracket(), true);
            case '^':
                return ("^", false);
            case '$':
                return (@"\z", false);
            case '\\':
                return Escape();
            default:
                return (Literal(c), true);
        }
    }

    private string Group()
    {
        if (Peek() == '?')
        {
            Defer(QuestionGroup());
        }

        if (_depth >= MaxNesting)
        {
            throw Refuse(TooDeep("groups"));
        }

        int local = ++_groups;
        _depth++;
        string body = Alternation();
        if (Peek() != ')')
        {
            throw Invalid(@"Unmatched ( or \(");
        }

        _i++;
        _depth--;
        _completed.Add(local);
        return "(" + body + ")";
    }

    private string QuestionGroup()
    {
        string rest = new(_p.Skip(_i + 1).Take(3).Select(u => u < 0x80 ? (char)u : '?').ToArray());
        string what = rest switch
        {
            _ when rest.StartsWith('=') => "(?=...) (a lookahead)",
            _ when rest.StartsWith('!') => "(?!...) (a negative lookahead)",
            _ when rest.StartsWith("<=", StringComparison.Ordinal) => "(?<=...) (a lookbehind)",
            _ when rest.StartsWith("<!", StringComparison.Ordinal) => "(?<!...) (a negative lookbehind)",
            _ when rest.StartsWith('<') || rest.StartsWith('\'') || rest.StartsWith('P') => "(?<name>...) (a named group)",
            _ when rest.StartsWith(':') => "(?:...) (a non-capturing group)",
            _ when rest.StartsWith('>') => "(?>...) (an atomic group)",
            _ when rest.StartsWith('#') => "(?#...) (a comment)",
            _ => "(?flags) (inline options)",
        };
        string fix = rest.StartsWith(':') || rest.StartsWith('<') || rest.StartsWith('\'') || rest.StartsWith('P')
            ? "write a plain group (...)"
            : rest.StartsWith('#') ? "remove the comment" : "grep -E has no such construct; express it with alternatives (|) and bracket expressions";
        return $"{what} is .NET syntax, not an extended regular expression (grep -E reads '(?' as an empty repetition); {fix}";
    }

    private (string, bool) Escape()
    {
        if (AtEnd)
        {
            throw Invalid("Trailing backslash");
        }

        int c = _p[_i++];
        switch (c)
        {
            case 'w':
                return (WordSet().ToPattern(_astral), true);
            case 'W':
                return (WordSet().Complement(_locale.CodePoints).ToPattern(_astral), true);
            case 's':
                return (_locale.Class("space").ToPattern(_astral), true);
            case 'S':
                return (ClassComplement("space"), true);
            case 'b':
                return (InsidePair() + "(?:" + Lookbehind(true) + Lookahead(false) + "|" + Lookbehind(false) + Lookahead(true) + ")", false);
            case 'B':
                return (InsidePair() + "(?:" + Lookbehind(true) + Lookahead(true) + "|" + Lookbehind(false) + Lookahead(false) + ")", false);
            case '<':
                return (InsidePair() + Lookbehind(false) + Lookahead(true), false);
            case '>':
                return (InsidePair() + Lookbehind(true) + Lookahead(false), false);
            case '`':
                return ("^", false);
            case '\'':
                return (@"\z", false);
            case >= '1' and <= '9':
                int n = c - '0';
                if (!_completed.Contains(n))
                {
                    throw Invalid("Invalid back reference");
                }

                return ($@"\k<{_groupOffset + n}>", false);
            default:
                if (c < 0x80 && char.IsAsciiLetterOrDigit((char)c))
                {
                    Defer(StrayEscape((char)c, inBracket: false));
                }

                return (Literal(c), true);
        }
    }

    private string ClassComplement(string cls) => _locale.Class(cls).Complement(_locale.CodePoints).ToPattern(_astral);

    private UnitSet WordSet()
    {
        var set = new UnitSet();
        set.Add(_locale.Class("alnum"));
        set.Add('_', '_');
        return set;
    }

    /// <summary>A word assertion never holds between the two halves of a surrogate pair: grep has no such position.</summary>
    private string InsidePair() => _astral ? @"(?![\uDC00-\uDFFF])" : "";

    private string Lookbehind(bool word) => (word ? "(?<=" : "(?<!") + WordSet().ToPattern(_astral) + ")";

    private string Lookahead(bool word) => (word ? "(?=" : "(?!") + WordSet().ToPattern(_astral) + ")";

    /// <summary>The message for a backslash and a letter or digit grep -E has no meaning for (it reads the letter).</summary>
    internal static string StrayEscape(char c, bool inBracket)
    {
        string fix = c switch
        {
            'd' => "[0-9] (or [[:digit:]])",
            'D' => "[^0-9]",
            'p' or 'P' => "a POSIX class such as [[:alpha:]], [[:upper:]] or [[:punct:]]",
            'A' => "^",
            'z' or 'Z' => "$",
            'h' => "[[:blank:]]",
            't' => "[[:blank:]] or the tab character itself",
            'n' or 'r' or 'R' => "nothing: a name never holds a line break",
            'x' or 'u' or 'U' or 'o' => "the character itself",
            'w' or 'W' or 's' or 'S' when inBracket => c is 'w' ? "[_[:alnum:]] (outside brackets \\w works)" : c is 'W' ? "[^_[:alnum:]]" : c is 's' ? "[[:space:]]" : "[^[:space:]]",
            _ => $"'{c}' without the backslash",
        };
        string reading = inBracket ? $"inside [...] grep -E reads \\{c} as the two characters '\\' and '{c}'" : $"grep -E reads \\{c} as the plain letter '{c}'";
        return $"\\{c} is not part of extended regular expressions ({reading}); write {fix}";
    }

    private string Literal(int unit)
    {
        if (unit > 0xFFFF && !_astral)
        {
            return @"[^\s\S]";
        }

        if (unit > 0xFFFF)
        {
            string pair = char.ConvertFromUtf32(unit);
            return "(?:" + UnitSet.Unit(pair[0]) + UnitSet.Unit(pair[1]) + ")";
        }

        char c = (char)unit;
        if (char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '/' or ',' or ':' or '=' or '@' or '%' or '~' or '!' or '"' or '\'' or ';' or '&')
        {
            return c.ToString();
        }

        return UnitSet.Unit(unit);
    }

    /// <summary>A bracket expression after its '[' (consumed to its ']'), as glibc's parse_bracket_exp reads it.</summary>
    private string Bracket()
    {
        bool negated = Peek() == '^';
        if (negated)
        {
            _i++;
        }

        CheckColonSyntax();
        var set = new UnitSet();
        bool first = true;
        while (true)
        {
            if (AtEnd)
            {
                throw Invalid("Unmatched [, [^, [:, [., or [=");
            }

            int c = _p[_i];
            if (c == ']' && !first)
            {
                _i++;
                break;
            }

            var start = Element(acceptHyphen: first);
            first = false;
            if (start.Set is not null)
            {
                set.Add(start.Set);
                continue;
            }

            if (Peek() == '-' && Peek(1) != ']')
            {
                _i++;
                if (AtEnd)
                {
                    throw Invalid("Unmatched [, [^, [:, [., or [=");
                }

                var end = Element(acceptHyphen: true);
                if (end.Set is not null || start.Equivalence || end.Equivalence || end.Unit < start.Unit)
                {
                    throw Invalid("Invalid range end");
                }

                CheckRange(start.Unit, end.Unit);
                set.Add(start.Unit, end.Unit);
            }
            else
            {
                set.Add(start.Unit, start.Unit);
            }
        }

        return (negated ? set.Complement(_locale.CodePoints) : set).ToPattern(_astral);
    }

    private void CheckColonSyntax()
    {
        // grep: "[:space:]" where "[[:space:]]" was meant is an error.
        if (Peek() != ':')
        {
            return;
        }

        int close = Array.IndexOf(_p, ']', _i + 1);
        if (close > _i + 2 && _p[close - 1] == ':' && _p[(_i + 1)..(close - 1)].Any(u => u != ':'))
        {
            throw Invalid("character class syntax is [[:space:]], not [:space:]");
        }
    }

    private void CheckRange(int low, int high)
    {
        if (_locale.CodePoints && _locale.CodePointCollation && high >= 0x80)
        {
            // glibc takes a range end in a UTF-8 locale without collation rules only as one byte.
            throw Invalid("Invalid collation character");
        }

        // grep's dfa takes a range of two digits by code point in any locale; any other range
        // follows LC_COLLATE, which only code point order makes a plain interval.
        if (_locale.CodePointCollation || (low is >= '0' and <= '9' && high is >= '0' and <= '9'))
        {
            return;
        }

        Defer($"the range {Display(low)}-{Display(high)} follows the collation order of the locale {_locale.Name}, where grep -E takes many more characters into it (in de_DE.UTF-8 [a-z] matches é and ü); write a class such as [[:lower:]] or list the characters, or run with LC_ALL=C.UTF-8");
    }

    private string Display(int unit) => _locale.CodePoints ? char.ConvertFromUtf32(unit) : unit < 0x80 ? ((char)unit).ToString() : $"\\x{unit:x2}";

    private readonly record struct BracketElement(int Unit, UnitSet? Set, bool Equivalence);

    private BracketElement Element(bool acceptHyphen)
    {
        int c = _p[_i++];
        if (c == '[' && Peek() is ':' or '.' or '=')
        {
            return Symbol(_p[_i++]);
        }

        if (c == '-' && !acceptHyphen && Peek() != ']')
        {
            throw Invalid("Invalid range end");
        }

        if (c == '\\' && Peek() is >= 'A' and <= 'Z' or >= 'a' and <= 'z' && OddBackslash())
        {
            Defer(StrayEscape((char)Peek(), inBracket: true));
        }

        return new BracketElement(c, null, false);
    }

    /// <summary>Whether the backslash just read ends an odd run of them: <c>[\\d]</c> is a backslash and d in .NET too.</summary>
    private bool OddBackslash()
    {
        int run = 0;
        for (int k = _i - 1; k >= 0 && _p[k] == '\\'; k--)
        {
            run++;
        }

        return run % 2 == 1;
    }

    /// <summary>[:class:], [.c.] or [=c=] after its opening (consumed to its closing).</summary>
    private BracketElement Symbol(int delimiter)
    {
        int start = _i;
        while (true)
        {
            if (_i + 1 >= _p.Length || _i - start >= 32)
            {
                throw Invalid("Unmatched [, [^, [:, [., or [=");
            }

            if (_p[_i] == delimiter && _p[_i + 1] == ']')
            {
                break;
            }

            _i++;
        }

        int[] name = _p[start.._i];
        _i += 2;
        if (delimiter == ':')
        {
            string cls = new(name.Select(u => u < 0x80 ? (char)u : '\0').ToArray());
            return cls is "alpha" or "upper" or "lower" or "digit" or "xdigit" or "space" or "print" or "punct" or "graph" or "cntrl" or "blank" or "alnum"
                ? new BracketElement(-1, _locale.Class(cls), false)
                : throw Invalid("Invalid character class name");
        }

        // Without collation rules glibc knows only one-byte collating elements.
        if (name.Length != 1 || (_locale.CodePointCollation && _locale.CodePoints && name[0] >= 0x80))
        {
            throw Invalid("Invalid collation character");
        }

        if (delimiter == '=' && !_locale.CodePointCollation)
        {
            Defer($"the equivalence class [={Display(name[0])}=] follows the collation of the locale {_locale.Name}, where grep -E takes accented forms into it (in de_DE.UTF-8 [[=e=]] matches é); list the characters, or run with LC_ALL=C.UTF-8");
        }

        return new BracketElement(name[0], null, delimiter == '=');
    }
}
