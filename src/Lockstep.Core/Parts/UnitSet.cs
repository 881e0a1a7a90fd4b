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
    /// points above U+FFFF as surrogate pairs (so one grep character is one match, as grep counts)
    /// when <paramref name="astral"/>; without it, only the code points below U+10000 (for names
    /// that hold no others, where the pairs cost the linear engine seconds to build and never match).
    /// </summary>
    public string ToPattern(bool astral = true)
    {
        var ranges = Normalized();
        var bmp = new StringBuilder("[");
        var lows = new SortedDictionary<int, StringBuilder>();
        foreach (var (low, high) in ranges)
        {
            if (low <= 0xFFFF)
            {
                AppendRange(bmp, low, Math.Min(high, 0xFFFF));
            }

            for (int cp = Math.Max(low, 0x10000); astral && cp <= high;)
            {
                // One high surrogate covers 1024 code points: its low surrogates as one class.
                int lead = 0xD800 + ((cp - 0x10000) >> 10);
                int last = Math.Min(high, 0x10000 + ((lead - 0xD800 + 1) << 10) - 1);
                AppendRange(lows.TryGetValue(lead, out var cls) ? cls : lows[lead] = new StringBuilder(), 0xDC00 + ((cp - 0x10000) & 0x3FF), 0xDC00 + ((last - 0x10000) & 0x3FF));
                cp = last + 1;
            }
        }

        var alternatives = new List<string>();
        if (bmp.Length > 1)
        {
            alternatives.Add(bmp.Append(']').ToString());
        }

        string full = @"\uDC00-\uDFFF";
        var leads = lows.ToList();
        for (int k = 0; k < leads.Count;)
        {
            // Runs of high surrogates whose every low surrogate is in the set share one alternative.
            int end = k;
            while (end + 1 < leads.Count && leads[end + 1].Key == leads[end].Key + 1 && leads[end + 1].Value.ToString() == full && leads[k].Value.ToString() == full)
            {
                end++;
            }

            string lead = end > k ? Class(leads[k].Key, leads[end].Key) : Unit(leads[k].Key);
            alternatives.Add(lead + "[" + leads[k].Value + "]");
            k = end + 1;
        }

        return alternatives.Count switch
        {
            0 => @"[^\s\S]",
            1 => alternatives[0],
            _ => "(?:" + string.Join('|', alternatives) + ")",
        };
    }

    private static void AppendRange(StringBuilder cls, int low, int high)
    {
        cls.Append(Unit(low));
        if (high > low)
        {
            cls.Append('-').Append(Unit(high));
        }
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
