using Lockstep.Windows;

namespace Lockstep.Update;

/// <summary>What <c>lockstep update --check-window</c> says: pure, given the schedule and the clock.</summary>
public static class WindowReport
{
    /// <summary>Whether the lock may be taken now, and the lines saying so.</summary>
    public static (bool Usable, string Text) Describe(MaintenanceSchedule schedule, TimeSpan minRemaining, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(clock);
        var now = clock.GetUtcNow();
        if (schedule.IsAlways)
        {
            return (true, "no maintenance_window is set: updates may run at any time");
        }

        string At(DateTimeOffset instant) => UpdateWorkflow.Local(instant, clock);
        string next = schedule.NextUsable(now, minRemaining) is { } usable && usable > now
            ? $"next window: opens {At(usable)}" + (schedule.NextClosing(usable) is { } closes ? $", closes {At(closes)}" : "")
            : "";
        if (schedule.IsUsable(now, minRemaining))
        {
            return (true, "open: a maintenance window is open now" + (schedule.NextClosing(now) is { } until ? $" until {At(until)}" : ""));
        }

        string state = schedule.Contains(now)
            ? $"closing: a maintenance window is open until {At(schedule.NextClosing(now)!.Value)}, less than window_min_remaining ({minRemaining.TotalMinutes:0.#} min) from now"
            : "closed: no maintenance window is open now";
        return (false, next.Length > 0 ? $"{state}\n{next}" : $"{state}\nno window leaves window_min_remaining within two weeks");
    }
}
