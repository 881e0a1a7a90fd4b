using System.Globalization;

namespace Lockstep.Fleet;

/// <summary>Durations as operators type them: a positive number with s, m, h or d ("90m", "12h", "7d", "1.5h").</summary>
public static class Durations
{
    public static bool TryParse(string text, out TimeSpan span)
    {
        span = default;
        if (string.IsNullOrEmpty(text) || text.Length < 2)
        {
            return false;
        }

        double unit = text[^1] switch { 's' => 1, 'm' => 60, 'h' => 3600, 'd' => 86400, _ => 0 };
        if (unit == 0 || !double.TryParse(text[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double count) || count <= 0 || count * unit > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }

        span = TimeSpan.FromSeconds(count * unit);
        return true;
    }
}
