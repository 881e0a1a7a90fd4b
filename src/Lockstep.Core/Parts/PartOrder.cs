namespace Lockstep.Parts;

public enum PartOrderKind
{
    /// <summary>dib-run-parts: <c>LANG=C sort -n</c>.</summary>
    Numeric,

    /// <summary>Debian run-parts: plain byte order.</summary>
    Lexical,
}

/// <summary>The order parts run in. Pure, so it can be checked against a table of cases.</summary>
public static class PartOrder
{
    public static Comparison<string> For(PartOrderKind kind) => kind == PartOrderKind.Numeric ? CompareNumeric : CompareBytes;

    /// <summary>
    /// As <c>LANG=C sort -n</c>: the leading number (blanks skipped, optional '-', digits, optional
    /// '.' and digits; none counts as 0) is the key; equal keys fall back to byte order of the whole name.
    /// </summary>
    public static int CompareNumeric(string a, string b)
    {
        int byNumber = CompareNumbers(NumberKey.Parse(a), NumberKey.Parse(b));
        return byNumber != 0 ? byNumber : CompareBytes(a, b);
    }

    /// <summary>strcmp on the UTF-8 bytes. UTF-16 ordinal order agrees except around surrogates, handled here.</summary>
    public static int CompareBytes(string a, string b)
    {
        int length = Math.Min(a.Length, b.Length);
        for (int i = 0; i < length; i++)
        {
            char x = a[i], y = b[i];
            if (x != y)
            {
                return Weight(x).CompareTo(Weight(y));
            }
        }

        return a.Length.CompareTo(b.Length);
    }

    // In UTF-8, U+E000..U+FFFF sort below supplementary characters (surrogate pairs in UTF-16).
    private static int Weight(char c) => char.IsSurrogate(c) ? c + 0x2000 : c >= 0xE000 ? c - 0x800 : c;

    private static int CompareNumbers(NumberKey x, NumberKey y)
    {
        if (x.Negative != y.Negative)
        {
            return x.Negative ? -1 : 1;
        }

        int magnitude = CompareMagnitude(x, y);
        return x.Negative ? -magnitude : magnitude;
    }

    private static int CompareMagnitude(NumberKey x, NumberKey y)
    {
        if (x.Integer.Length != y.Integer.Length)
        {
            return x.Integer.Length.CompareTo(y.Integer.Length);
        }

        int integer = string.CompareOrdinal(x.Integer, y.Integer);
        return integer != 0 ? Math.Sign(integer) : Math.Sign(string.CompareOrdinal(x.Fraction, y.Fraction));
    }

    /// <summary>A number as sort -n reads it: digits without leading zeros, fraction without trailing zeros.</summary>
    private readonly record struct NumberKey(bool Negative, string Integer, string Fraction)
    {
        public static NumberKey Parse(string name)
        {
            int i = 0;
            while (i < name.Length && (name[i] == ' ' || name[i] == '\t'))
            {
                i++;
            }

            bool negative = i < name.Length && name[i] == '-';
            if (negative)
            {
                i++;
            }

            int start = i;
            while (i < name.Length && char.IsAsciiDigit(name[i]))
            {
                i++;
            }

            string integer = name[start..i].TrimStart('0');
            string fraction = "";
            if (i < name.Length && name[i] == '.')
            {
                int fractionStart = ++i;
                while (i < name.Length && char.IsAsciiDigit(name[i]))
                {
                    i++;
                }

                fraction = name[fractionStart..i].TrimEnd('0');
            }

            // -0 is 0: the sign of zero must not separate it from other zeros.
            return new NumberKey(negative && (integer.Length > 0 || fraction.Length > 0), integer, fraction);
        }
    }
}
