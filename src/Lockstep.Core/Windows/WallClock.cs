namespace Lockstep.Windows;

/// <summary>Conversions between instants and a zone's wall clock, with the zone's gaps and repeats made explicit.</summary>
public static class WallClock
{
    /// <summary>The wall clock of <paramref name="zone"/> at <paramref name="instant"/> as time since Sunday 00:00.</summary>
    public static TimeSpan WeekTime(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return TimeSpan.FromDays((int)local.DayOfWeek) + local.TimeOfDay;
    }

    /// <summary>
    /// Every instant at which the wall clock of <paramref name="zone"/> reads <paramref name="wall"/>:
    /// none in a spring-forward gap, two in an autumn repeat, else one.
    /// </summary>
    public static IEnumerable<DateTimeOffset> InstantsOf(DateTime wall, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var unspecified = DateTime.SpecifyKind(wall, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(unspecified))
        {
            return [];
        }

        var offsets = zone.IsAmbiguousTime(unspecified) ? zone.GetAmbiguousTimeOffsets(unspecified) : [zone.GetUtcOffset(unspecified)];
        return offsets.Select(offset => new DateTimeOffset(unspecified, offset).ToUniversalTime());
    }

    /// <summary>
    /// The instants in [<paramref name="from"/>, <paramref name="to"/>) at which <paramref name="zone"/>'s
    /// offset from UTC changes (its wall clock jumps), to the second.
    /// </summary>
    public static IEnumerable<DateTimeOffset> Transitions(TimeZoneInfo zone, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var step = TimeSpan.FromHours(1);
        for (var at = from; at < to; at += step)
        {
            var next = at + step;
            if (zone.GetUtcOffset(at) == zone.GetUtcOffset(next))
            {
                continue;
            }

            // Zones change offset at most once an hour: find the first second with the new offset.
            var before = at;
            var after = next;
            while (after - before > TimeSpan.FromSeconds(1))
            {
                var middle = before + ((after - before) / 2);
                if (zone.GetUtcOffset(middle) == zone.GetUtcOffset(at))
                {
                    before = middle;
                }
                else
                {
                    after = middle;
                }
            }

            yield return new DateTimeOffset(after.UtcTicks - (after.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        }
    }
}
