namespace Lockstep.Windows;

/// <summary>
/// All <c>maintenance_window</c>s of a host: open while any of them is. Pure (the instant is always
/// given), so it is tested with tables of instants, zones and DST changes.
/// </summary>
public sealed class MaintenanceSchedule(IReadOnlyList<MaintenanceWindow> windows)
{
    /// <summary>How far ahead openings and closings are searched: a week, plus a day for DST and spans past Sunday.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(8);

    public IReadOnlyList<MaintenanceWindow> Windows { get; } = windows ?? throw new ArgumentNullException(nameof(windows));

    /// <summary>No windows configured: the host may update at any time.</summary>
    public bool IsAlways => Windows.Count == 0;

    public bool Contains(DateTimeOffset instant) => IsAlways || Windows.Any(w => w.Contains(instant));

    /// <summary>The first instant after <paramref name="instant"/> at which a closed schedule opens; null when none does within two horizons (never, or always open).</summary>
    public DateTimeOffset? NextOpening(DateTimeOffset instant) => NextEdge(instant, opening: true);

    /// <summary>The first instant after <paramref name="instant"/> at which an open schedule closes; null when it stays open.</summary>
    public DateTimeOffset? NextClosing(DateTimeOffset instant) => NextEdge(instant, opening: false);

    /// <summary>
    /// Whether a host may take the lock at <paramref name="instant"/>: a window is open and stays
    /// open at least <paramref name="minRemaining"/>.
    /// </summary>
    public bool IsUsable(DateTimeOffset instant, TimeSpan minRemaining) =>
        Contains(instant) && (NextClosing(instant) is not { } closes || closes - instant >= minRemaining);

    /// <summary>
    /// When the host may next take the lock: <paramref name="instant"/> itself if usable, else the
    /// first opening after it that leaves <paramref name="minRemaining"/>; null if none in two horizons.
    /// </summary>
    public DateTimeOffset? NextUsable(DateTimeOffset instant, TimeSpan minRemaining)
    {
        var at = instant;
        while (at - instant < Horizon * 2)
        {
            if (IsUsable(at, minRemaining))
            {
                return at;
            }

            if (NextOpening(at) is not { } opens)
            {
                return null;
            }

            at = opens;
        }

        return null;
    }

    private DateTimeOffset? NextEdge(DateTimeOffset instant, bool opening)
    {
        if (IsAlways)
        {
            return null;
        }

        // Searched a horizon at a time so that a near edge costs only the near candidates.
        for (var from = instant; from - instant < Horizon * 2; from += Horizon)
        {
            var edge = Candidates(from, from + Horizon)
                .Where(c => c > instant)
                .Order()
                .FirstOrDefault(c => Contains(c) == opening && Contains(c - TimeSpan.FromTicks(1)) != opening);
            if (edge != default)
            {
                return edge;
            }
        }

        return null;
    }

    /// <summary>Every instant in the range where the schedule could open or close: wall-clock span edges and offset changes.</summary>
    private IEnumerable<DateTimeOffset> Candidates(DateTimeOffset from, DateTimeOffset to)
    {
        foreach (var window in Windows)
        {
            foreach (var transition in WallClock.Transitions(window.Zone, from, to))
            {
                yield return transition;
            }

            var firstDay = TimeZoneInfo.ConvertTime(from, window.Zone).Date.AddDays(-1);
            for (var day = firstDay; day <= TimeZoneInfo.ConvertTime(to, window.Zone).Date; day = day.AddDays(1))
            {
                var weekStart = day.AddDays(-(int)day.DayOfWeek);
                foreach (var span in window.Spans)
                {
                    foreach (var edge in new[] { span.Start, span.End })
                    {
                        var wall = weekStart + TimeSpan.FromTicks(edge.Ticks % WeekSpan.Week.Ticks);
                        if (wall.Date != day)
                        {
                            continue;
                        }

                        foreach (var at in WallClock.InstantsOf(wall, window.Zone))
                        {
                            if (at >= from && at < to)
                            {
                                yield return at;
                            }
                        }
                    }
                }
            }
        }
    }
}
