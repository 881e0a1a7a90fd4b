using System.Globalization;
using System.Text.RegularExpressions;

namespace Lockstep.Windows;

/// <summary>
/// Reads <c>maintenance_window</c> values: <c>DAYS HH:MM-HH:MM [ZONE]</c> (days as <c>Mon</c>,
/// <c>Mon..Fri</c> or lists of those, <c>Mon,Wed,Sat..Sun</c>) or, crossing midnight,
/// <c>DAY HH:MM-DAY HH:MM [ZONE]</c>. The zone is an IANA name; the default is the host's.
/// </summary>
public static partial class WindowParser
{
    public const string Shape = "DAYS HH:MM-HH:MM [ZONE] or DAY HH:MM-DAY HH:MM [ZONE], e.g. 'Mon..Fri 02:00-05:00 Europe/Berlin' or 'Sat 22:00-Sun 04:00 UTC'";

    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    /// <summary>The window, or null with <paramref name="error"/> saying what is wrong (without the shape, which callers add).</summary>
    public static MaintenanceWindow? TryParse(string text, TimeZoneInfo defaultZone, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = Syntax().Match(text.Trim());
        if (!match.Success)
        {
            error = "it does not have the shape of a window";
            return null;
        }

        var zone = defaultZone;
        if (match.Groups["zone"].Success && !TryZone(match.Groups["zone"].Value, out zone, out error))
        {
            return null;
        }

        if (!TryTime(match.Groups["start"].Value, allowEndOfDay: false, out var start) || !TryTime(match.Groups["end"].Value, allowEndOfDay: true, out var end))
        {
            error = "a time is not HH:MM from 00:00 to 23:59 (24:00 may end a window)";
            return null;
        }

        if (!TryDays(match.Groups["days"].Value, out var days))
        {
            error = $"'{match.Groups["days"].Value}' is not a list of days (Mon, Tue, Wed, Thu, Fri, Sat, Sun; ranges as Mon..Fri)";
            return null;
        }

        TimeSpan length;
        if (match.Groups["endday"].Success)
        {
            if (days.Count != 1 || !TryDay(match.Groups["endday"].Value, out int endDay))
            {
                error = "a window that names its end day starts on one day and ends on one day, e.g. 'Sat 22:00-Sun 04:00'";
                return null;
            }

            length = TimeSpan.FromDays((endDay - days[0] + 7) % 7) + end - start;
        }
        else
        {
            length = end - start;
        }

        if (length < TimeSpan.Zero)
        {
            error = $"it ends ({match.Groups["end"].Value}) before it starts ({match.Groups["start"].Value}) on the same day; a window across midnight names its end day, e.g. 'Sat 22:00-Sun 04:00'";
            return null;
        }

        if (length <= TimeSpan.Zero)
        {
            error = "it has zero length (its end is its start)";
            return null;
        }

        if (length >= WeekSpan.Week)
        {
            error = "it is a week or longer; leave maintenance_window out to allow every time";
            return null;
        }

        error = "";
        return new MaintenanceWindow(text.Trim(), zone, [.. days.Select(d => new WeekSpan(TimeSpan.FromDays(d) + start, length))]);
    }

    private static bool TryZone(string name, out TimeZoneInfo zone, out string error)
    {
        zone = TimeZoneInfo.Utc;
        error = $"'{name}' is not a known time zone; give an IANA name from /usr/share/zoneinfo such as Europe/Berlin or UTC (install tzdata if it is missing)";
        // Zone names are paths below /usr/share/zoneinfo: never let one climb out of it.
        if (name.StartsWith('/') || name.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(name);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool TryTime(string text, bool allowEndOfDay, out TimeSpan time)
    {
        time = default;
        var parts = text.Split(':');
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int hours)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int minutes)
            || minutes > 59 || hours > 24 || (hours == 24 && (minutes != 0 || !allowEndOfDay)))
        {
            return false;
        }

        time = new TimeSpan(hours, minutes, 0);
        return true;
    }

    private static bool TryDays(string text, out List<int> days)
    {
        days = [];
        foreach (string item in text.Split(','))
        {
            var range = item.Split("..");
            if (range.Length > 2 || !TryDay(range[0], out int first))
            {
                return false;
            }

            int last = first;
            if (range.Length == 2 && !TryDay(range[1], out last))
            {
                return false;
            }

            // A range may wrap the week's end: Fri..Mon is Fri, Sat, Sun, Mon.
            for (int day = first; ; day = (day + 1) % 7)
            {
                if (!days.Contains(day))
                {
                    days.Add(day);
                }

                if (day == last)
                {
                    break;
                }
            }
        }

        return days.Count > 0;
    }

    private static bool TryDay(string text, out int day)
    {
        day = Array.IndexOf(DayNames, text.Trim().ToLowerInvariant());
        return day >= 0;
    }

    [GeneratedRegex(@"^(?<days>[A-Za-z.,]+)\s+(?<start>\d{1,2}:\d{2})\s*-\s*(?:(?<endday>[A-Za-z]+)\s+)?(?<end>\d{1,2}:\d{2})(?:\s+(?<zone>\S+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Syntax();
}
