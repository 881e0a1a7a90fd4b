using System.Globalization;
using System.Text;
using Lockstep.Processes;

namespace Lockstep.Logging;

/// <summary>
/// Text from configuration, registries, records or file names made safe for one line of a
/// terminal: control characters escaped (<c>\n</c>, <c>\t</c>, <c>\x1b</c>), a byte of a file name
/// or argument that is not UTF-8 shown as <c>\xff</c> (<see cref="OsText"/>; never raw, never
/// U+FFFD), and a value too long for a message cut with a note of how much was left out.
/// </summary>
public static class Printable
{
    /// <summary>The longest message line Lockstep writes; a longer one is cut.</summary>
    public const int MaxLine = 4096;

    /// <summary>
    /// Only the bytes that are not UTF-8 (<see cref="OsText"/>) written as <c>\xff</c>, the rest kept:
    /// for a path stored as text (a run record's JSON), where such a byte would otherwise become U+FFFD.
    /// </summary>
    public static string EscapeBytes(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.AsSpan().ContainsAnyInRange('\uDC80', '\uDCFF'))
        {
            return text;
        }

        var shown = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            _ = OsText.IsEscapedByte(c) ? shown.Append(CultureInfo.InvariantCulture, $"\\x{OsText.EscapedByte(c):x2}") : shown.Append(c);
        }

        return shown.ToString();
    }

    public static string Escape(string text, int max = MaxLine)
    {
        ArgumentNullException.ThrowIfNull(text);
        bool clean = text.Length <= max;
        foreach (char c in text)
        {
            if (char.IsControl(c) || char.IsSurrogate(c))
            {
                clean = false;
                break;
            }
        }

        if (clean)
        {
            return text;
        }

        var shown = new StringBuilder(Math.Min(text.Length, max) + 16);
        int i = 0;
        for (; i < text.Length && shown.Length < max; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                shown.Append(c).Append(text[++i]);
                continue;
            }

            _ = c switch
            {
                '\n' => shown.Append("\\n"),
                '\r' => shown.Append("\\r"),
                '\t' => shown.Append("\\t"),
                _ when char.IsControl(c) => shown.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ when OsText.IsEscapedByte(c) => shown.Append(CultureInfo.InvariantCulture, $"\\x{OsText.EscapedByte(c):x2}"),
                _ when char.IsSurrogate(c) => shown.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => shown.Append(c),
            };
        }

        return i < text.Length ? shown.Append(CultureInfo.InvariantCulture, $"...({text.Length - i} more characters)").ToString() : shown.ToString();
    }
}
