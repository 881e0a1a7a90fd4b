using System.Globalization;
using System.Text;

namespace Lockstep.Parts;

/// <summary>
/// A set of the units grep -E matches one at a time: bytes in a single-byte locale, code points in
/// a UTF-8 one; kept as sorted, disjoint ranges and written as a .NET pattern fragment.
/// </summary>
internal sealed class UnitSet
{
    public const int MaxCodePoint = 0x10FFFF;

    private readonly List<(int Low, int High)> _ranges = [];

    public static UnitSet Of(int low, int high)
    {
        var set = new UnitSet();
        set.Add(low, high);
        return set;
    }

    public bool IsEmpty => _ranges.Count == 0;

    public void Add(int low, int high) => _ranges.Add((low, high));

    public void Add(UnitSet other) => _ranges.AddRange(other._ranges);

    /// <summary>The units of the locale's domain (0-255, or every code point but the surrogates) not in this set, never a newline.</summary>
    public UnitSet Complement(bool codePoints)
    {
        var ranges = Normalized();
        var result = new UnitSet();
        int next = 0;
        foreach (var (low, high) in ranges)
        {
            if (low > next)
            {
                result.AddDomain(next, low - 1, codePoints);
            }

            next = Math.Max(next, high + 1);
        }

        result.AddDomain(next, codePoints ? MaxCodePoint : 255, codePoints);
        return result;
    }

    private void AddDomain(int low, int high, bool codePoints)
    {
        // A name never holds a newline (grep reads lines), and a code point is never a surrogate.
        foreach (var (l, h) in Split(low, high, '\n', '\n'))
        {
            foreach (var (a, b) in codePoints ? Split(l, h, 0xD800, 0xDFFF) : [(l, h)])
            {
                Add(a, b);
            }
        }
    }

    private static List<(int, int)> Split(int low, int high, int holeLow, int holeHigh)
    {
        var parts = new List<(int, int)>(2);
        if (low > high)
        {
            return parts;
        }

        if (high < holeLow || low > holeHigh)
        {
            parts.Add((low, high));
            return parts;
        }

        if (low < holeLow)
        {
            parts.Add((low, holeLow - 1));
        }

        if (high > holeHigh)
        {
            parts.Add((holeHigh + 1, high));
        }

        return parts;
    }

    private List<(int Low, int High)> Normalized()
    {
        var sorted = _ranges.OrderBy(r => r.Low).ToList();
        var merged = new List<(int Low, int High)>(sorted.Count);
        foreach (var r in sorted)
        {
            if (merged.Count > 0 && r.Low <= merged[^1].High + 1)
            {
                merged[^1] = (merged[^1].Low, Math.Max(merged[^1].High, r.High));
            }
            else
            {
                merged.Add(r);
            }
        }

        return merged;
    }

    /// <summary>
    /// The set as a .NET pattern that matches one unit: a class of UTF-16 code units, with code
    /// points above U+FFFF as surrogate pairs (so one grep character is one match, as grep counts).
    /// </summary>
    public string ToPattern()
    {
        var ranges = Normalized();
        var bmp = new StringBuilder("[");
        var astral = new List<string>();
        foreach (var (low, high) in ranges)
        {
            if (low <= 0xFFFF)
            {
                AppendRange(bmp, low, Math.Min(high, 0xFFFF));
            }

            if (high > 0xFFFF)
            {
                AddAstral(astral, Math.Max(low, 0x10000), high);
            }
        }

        string cls = bmp.Length == 1 ? (astral.Count == 0 ? @"[^\s\S]" : "") : bmp.Append(']').ToString();
        if (astral.Count == 0)
        {
            return cls;
        }

        if (cls.Length > 0)
        {
            astral.Insert(0, cls);
        }

        return "(?:" + string.Join('|', astral) + ")";
    }

    private static void AppendRange(StringBuilder cls, int low, int high)
    {
        cls.Append(Unit(low));
        if (high > low)
        {
            cls.Append('-').Append(Unit(high));
        }
    }

    private static void AddAstral(List<string> alternatives, int low, int high)
    {
        int lowHigh = 0xD800 + ((low - 0x10000) >> 10), lowLow = 0xDC00 + ((low - 0x10000) & 0x3FF);
        int highHigh = 0xD800 + ((high - 0x10000) >> 10), highLow = 0xDC00 + ((high - 0x10000) & 0x3FF);
        if (lowHigh == highHigh)
        {
            alternatives.Add(Unit(lowHigh) + Class(lowLow, highLow));
            return;
        }

        alternatives.Add(Unit(lowHigh) + Class(lowLow, 0xDFFF));
        if (highHigh - lowHigh > 1)
        {
            alternatives.Add(Class(lowHigh + 1, highHigh - 1) + Class(0xDC00, 0xDFFF));
        }

        alternatives.Add(Unit(highHigh) + Class(0xDC00, highLow));
    }

    private static string Class(int low, int high)
    {
        var cls = new StringBuilder("[");
        AppendRange(cls, low, high);
        return cls.Append(']').ToString();
    }

    /// <summary>One UTF-16 code unit, escaped for any place in a .NET pattern.</summary>
    public static string Unit(int unit) => @"\u" + unit.ToString("X4", CultureInfo.InvariantCulture);
}
