namespace Lockstep.Windows;

/// <summary>
/// One <c>maintenance_window</c> (README, "Maintenance windows"): spans of the week on the wall
/// clock of <see cref="Zone"/>. An instant is inside when the wall clock there reads a time inside
/// a span, so a start that does not exist (the spring-forward gap) opens when the clock jumps past
/// it, and a time that happens twice (the autumn fall-back) is inside both times.
/// </summary>
public sealed record MaintenanceWindow(string Text, TimeZoneInfo Zone, IReadOnlyList<WeekSpan> Spans)
{
    /// <summary>Whether the wall clock of <see cref="Zone"/> at <paramref name="instant"/> reads a time inside a span.</summary>
    public bool Contains(DateTimeOffset instant)
    {
        var wall = WallClock.WeekTime(instant, Zone);
        return Spans.Any(span => span.Contains(wall));
    }

    /// <summary>The shortest span on the wall clock (DST may shorten or lengthen it by the size of the change).</summary>
    public TimeSpan ShortestSpan => Spans.Min(span => span.Length);
}

/// <summary>
/// A span of the week, from <see cref="Start"/> (time since Sunday 00:00) for <see cref="Length"/>
/// (more than zero, less than a week); it may run past the week's end into the next Sunday.
/// </summary>
public readonly record struct WeekSpan(TimeSpan Start, TimeSpan Length)
{
    public static readonly TimeSpan Week = TimeSpan.FromDays(7);

    public TimeSpan End => Start + Length;

    public bool Contains(TimeSpan weekTime) =>
        (weekTime >= Start && weekTime < End) || (End > Week && weekTime < End - Week);
}
