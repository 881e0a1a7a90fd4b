using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Lockstep.Processes;

namespace Lockstep.Parts;

/// <summary>
/// The locale grep -E would run in, from LC_ALL, LC_CTYPE, LC_COLLATE and LANG as given: whether a
/// character is a byte or a UTF-8 sequence, which characters each [:class:] holds (asked of glibc,
/// so exactly what grep sees), and whether ranges follow code points. A locale glibc does not have
/// is the C locale, as for grep. See README "RUN_PARTS_REGEX".
/// </summary>
public sealed class RegexLocale
{
    private static readonly ConcurrentDictionary<(string, string), RegexLocale> Resolved = new();

    private readonly nint _handle;
    private readonly ConcurrentDictionary<string, UnitSet> _classes = new(StringComparer.Ordinal);

    private RegexLocale(string name, nint handle, bool codePoints, bool codePointCollation, string? unsupportedCharset)
    {
        Name = name;
        _handle = handle;
        CodePoints = codePoints;
        CodePointCollation = codePointCollation;
        UnsupportedCharset = unsupportedCharset;
    }

    /// <summary>The C locale: a character is a byte, classes are ASCII, ranges are byte values.</summary>
    public static RegexLocale C { get; } = new("C", 0, codePoints: false, codePointCollation: true, unsupportedCharset: null);

    /// <summary>The locale's name as the environment gave it (LC_CTYPE's, when LC_COLLATE differs: "ctype/collate").</summary>
    public string Name { get; }

    /// <summary>True in a UTF-8 locale (a unit is a code point); false in a single-byte one (a unit is a byte).</summary>
    public bool CodePoints { get; }

    /// <summary>True when LC_COLLATE orders by code point (C, POSIX, C.UTF-8), so a range a-z is the code points a to z.</summary>
    public bool CodePointCollation { get; }

    /// <summary>The charset of a multibyte locale other than UTF-8 (EUC-JP, GB18030), which Lockstep cannot decode names in.</summary>
    public string? UnsupportedCharset { get; }

    /// <summary>The locale of an environment, looked up the way setlocale(LC_ALL, "") does: LC_ALL, then the category's variable, then LANG.</summary>
    public static RegexLocale FromEnvironment(Func<string, string?> variable)
    {
        string Pick(string category) =>
            NonEmpty(variable("LC_ALL")) ?? NonEmpty(variable(category)) ?? NonEmpty(variable("LANG")) ?? "C";
        return Named(Pick("LC_CTYPE"), Pick("LC_COLLATE"));
    }

    /// <summary>The locale with these LC_CTYPE and LC_COLLATE names; the C locale when glibc has either not.</summary>
    public static RegexLocale Named(string ctype, string? collate = null) =>
        Resolved.GetOrAdd((ctype, collate ?? ctype), key => Resolve(key.Item1, key.Item2));

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static RegexLocale Resolve(string ctype, string collate)
    {
        if (ctype is "C" or "POSIX" && collate is "C" or "POSIX")
        {
            return C;
        }

        nint handle = LibC.newlocale(LibC.LC_CTYPE_MASK, ctype, 0);
        if (handle == 0)
        {
            return C;
        }

        nint both = LibC.newlocale(LibC.LC_COLLATE_MASK, collate, handle);
        if (both == 0)
        {
            // grep's setlocale(LC_ALL, "") fails as a whole when one category's locale is missing.
            LibC.freelocale(handle);
            return C;
        }

        string charset = Marshal.PtrToStringUTF8(LibC.nl_langinfo_l(LibC.CODESET, both)) ?? "";
        bool codePointCollation = (LibC.nl_langinfo_l(LibC.NL_COLLATE_NRULES, both) & 0xFFFFFFFF) == 0;
        bool utf8 = charset == "UTF-8";
        string? unsupported = !utf8 && MaxCharLength(both) > 1 ? charset : null;
        string name = ctype == collate ? ctype : ctype + "/" + collate;
        return new RegexLocale(name, both, utf8, codePointCollation, unsupported);
    }

    private static int MaxCharLength(nint locale)
    {
        nint previous = LibC.uselocale(locale);
        try
        {
            return (int)LibC.__ctype_get_mb_cur_max();
        }
        finally
        {
            LibC.uselocale(previous);
        }
    }

    /// <summary>The units of a POSIX class (alpha, digit, space…), as glibc classifies them in this locale.</summary>
    internal UnitSet Class(string name) => _classes.GetOrAdd(name, Classify);

    private UnitSet Classify(string name)
    {
        var set = new UnitSet();
        if (_handle == 0)
        {
            // The C locale: ASCII as POSIX defines it, no byte above 0x7f in any class.
            for (int b = 0; b < 128; b++)
            {
                if (InAsciiClass(name, (char)b))
                {
                    set.Add(b, b);
                }
            }

            return set;
        }

        nuint description = LibC.wctype_l(name, _handle);
        if (CodePoints)
        {
            int start = -1;
            for (int cp = 0; cp <= UnitSet.MaxCodePoint + 1; cp++)
            {
                bool member = cp <= UnitSet.MaxCodePoint && cp is < 0xD800 or > 0xDFFF && LibC.iswctype_l((uint)cp, description, _handle) != 0;
                if (member && start < 0)
                {
                    start = cp;
                }
                else if (!member && start >= 0)
                {
                    set.Add(start, cp - 1);
                    start = -1;
                }
            }

            return set;
        }

        nint previous = LibC.uselocale(_handle);
        try
        {
            for (int b = 0; b < 256; b++)
            {
                uint wc = LibC.btowc(b);
                if (wc != LibC.WEOF && LibC.iswctype_l(wc, description, _handle) != 0)
                {
                    set.Add(b, b);
                }
            }
        }
        finally
        {
            LibC.uselocale(previous);
        }

        return set;
    }

    private static bool InAsciiClass(string name, char c) => name switch
    {
        "alpha" => char.IsAsciiLetter(c),
        "digit" => char.IsAsciiDigit(c),
        "alnum" => char.IsAsciiLetterOrDigit(c),
        "upper" => char.IsAsciiLetterUpper(c),
        "lower" => char.IsAsciiLetterLower(c),
        "xdigit" => char.IsAsciiHexDigit(c),
        "space" => c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v',
        "blank" => c is ' ' or '\t',
        "punct" => c is > ' ' and < '\x7f' && !char.IsAsciiLetterOrDigit(c),
        "cntrl" => c is < ' ' or '\x7f',
        "print" => c is >= ' ' and < '\x7f',
        "graph" => c is > ' ' and < '\x7f',
        _ => false,
    };
}
