using Lockstep.Windows;

namespace Lockstep.Tests.Windows;

/// <summary>Contains, NextOpening and NextClosing as tables of instants (all in UTC; 2026-11-24 is a Tuesday).</summary>
public sealed class MaintenanceScheduleTests
{
    private static MaintenanceSchedule Schedule(params string[] windows) =>
        new([.. windows.Select(w => WindowParser.TryParse(w, TimeZoneInfo.Utc, out string error) ?? throw new InvalidOperationException(error))]);

    private static DateTimeOffset At(string utc) => DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("Mon..Fri 02:00-05:00 Europe/Berlin", "2026-11-24T00:59:59Z", false)] // 01:59:59 CET
    [InlineData("Mon..Fri 02:00-05:00 Europe/Berlin", "2026-11-24T01:00:00Z", true)] // 02:00 CET
    [InlineData("Mon..Fri 02:00-05:00 Europe/Berlin", "2026-11-24T03:59:59Z", true)]
    [InlineData("Mon..Fri 02:00-05:00 Europe/Berlin", "2026-11-24T04:00:00Z", false)] // the end is outside
    [InlineData("Mon..Fri 02:00-05:00 Europe/Berlin", "2026-11-28T01:30:00Z", false)] // Saturday
    [InlineData("Mon..Fri 02:00-05:00 Europe/Berlin", "2026-07-14T00:30:00Z", true)] // 02:30 CEST in summer
    [InlineData("Mon..Fri 02:00-05:00 Europe/Berlin", "2026-07-14T03:30:00Z", false)] // 05:30 CEST
    [InlineData("Mon,Wed 02:00-05:00 UTC", "2026-11-24T03:00:00Z", false)] // Tuesday
    [InlineData("Mon,Wed 02:00-05:00 UTC", "2026-11-25T03:00:00Z", true)]
    [InlineData("Fri..Mon 02:00-03:00 UTC", "2026-11-29T02:30:00Z", true)] // Sunday, in a range across the week's end
    [InlineData("Fri..Mon 02:00-03:00 UTC", "2026-11-24T02:30:00Z", false)]
    [InlineData("Sat 22:00-Sun 04:00 UTC", "2026-11-28T21:59:59Z", false)]
    [InlineData("Sat 22:00-Sun 04:00 UTC", "2026-11-28T22:00:00Z", true)]
    [InlineData("Sat 22:00-Sun 04:00 UTC", "2026-11-29T00:00:00Z", true)] // past midnight and the week's end
    [InlineData("Sat 22:00-Sun 04:00 UTC", "2026-11-29T03:59:59Z", true)]
    [InlineData("Sat 22:00-Sun 04:00 UTC", "2026-11-29T04:00:00Z", false)]
    [InlineData("Sat 22:00-Sun 04:00 UTC", "2026-11-29T22:30:00Z", false)] // Sunday evening is not Saturday's
    [InlineData("Mon 22:00-24:00 UTC", "2026-11-23T23:59:59Z", true)]
    [InlineData("Mon 22:00-24:00 UTC", "2026-11-24T00:00:00Z", false)]
    [InlineData("Mon..Fri 02:00-05:00", "2026-11-24T02:00:00Z", true)] // no zone: the host's, here UTC
    [InlineData("Sun 02:30-04:00 Europe/Berlin", "2026-03-29T00:59:59Z", false)] // 01:59:59 CET; 02:30 does not exist that day
    [InlineData("Sun 02:30-04:00 Europe/Berlin", "2026-03-29T01:00:00Z", true)] // 03:00 CEST: the clock jumped past 02:30
    [InlineData("Sun 02:30-02:45 Europe/Berlin", "2026-10-25T00:35:00Z", true)] // 02:35 CEST, the first 02:35
    [InlineData("Sun 02:30-02:45 Europe/Berlin", "2026-10-25T01:00:00Z", false)] // 02:00 CET
    [InlineData("Sun 02:30-02:45 Europe/Berlin", "2026-10-25T01:35:00Z", true)] // 02:35 CET, the second 02:35
    [InlineData("Sun 01:30-01:45 America/New_York", "2026-11-01T05:40:00Z", true)] // 01:40 EDT
    [InlineData("Sun 01:30-01:45 America/New_York", "2026-11-01T06:40:00Z", true)] // 01:40 EST
    [InlineData("Sun 01:30-01:45 America/New_York", "2026-11-01T06:00:00Z", false)] // 01:00 EST
    [InlineData("Sun 02:30-03:30 America/New_York", "2026-03-08T06:59:59Z", false)] // 01:59:59 EST
    [InlineData("Sun 02:30-03:30 America/New_York", "2026-03-08T07:00:00Z", true)] // 03:00 EDT
    [InlineData("Sun 02:30-03:30 America/New_York", "2026-03-08T07:30:00Z", false)] // 03:30 EDT
    public void Contains_reads_the_wall_clock_of_the_windows_zone(string window, string utc, bool expected) =>
        Schedule(window).Contains(At(utc)).ShouldBe(expected);

    [Theory]
    [InlineData("Mon..Fri 02:00-05:00 Europe/Berlin", "2026-11-24T10:55:00Z", "2026-11-25T01:00:00Z")]
    [InlineData("Mon..Fri 02:00-05:00 Europe/Berlin", "2026-11-27T10:00:00Z", "2026-11-30T01:00:00Z")] // Friday -> Monday
    [InlineData("Mon..Fri 02:00-05:00 Europe/Berlin", "2026-11-24T01:30:00Z", "2026-11-25T01:00:00Z")] // open now: the next one
    [InlineData("Sat 22:00-Sun 04:00 UTC", "2026-11-24T10:55:00Z", "2026-11-28T22:00:00Z")]
    [InlineData("Sat 22:00-Sun 04:00 UTC", "2026-11-29T05:00:00Z", "2026-12-05T22:00:00Z")]
    [InlineData("Mon..Fri 02:00-05:00 Europe/Berlin", "2026-03-27T10:00:00Z", "2026-03-30T00:00:00Z")] // Monday after the change: 02:00 CEST
    [InlineData("Sun 02:30-04:00 Europe/Berlin", "2026-03-28T12:00:00Z", "2026-03-29T01:00:00Z")] // no 02:30: opens at 03:00 CEST
    [InlineData("Sun 02:30-02:45 Europe/Berlin", "2026-03-28T12:00:00Z", "2026-04-05T00:30:00Z")] // wholly in the gap: next week
    [InlineData("Sun 02:30-02:45 Europe/Berlin", "2026-10-24T12:00:00Z", "2026-10-25T00:30:00Z")] // the first 02:30 (CEST)
    [InlineData("Sun 02:30-02:45 Europe/Berlin", "2026-10-25T00:40:00Z", "2026-10-25T01:30:00Z")] // the second 02:30 (CET)
    [InlineData("Sun 01:00-02:30 Europe/Berlin", "2026-10-25T00:40:00Z", "2026-10-25T01:00:00Z")] // the clock falls back into it
    [InlineData("Sun 02:30-03:30 America/New_York", "2026-03-07T12:00:00Z", "2026-03-08T07:00:00Z")]
    [InlineData("Sun 01:30-01:45 America/New_York", "2026-11-01T05:50:00Z", "2026-11-01T06:30:00Z")] // the second 01:30 (EST)
    public void NextOpening_is_the_first_instant_after_that_a_window_opens(string window, string utc, string expected) =>
        Schedule(window).NextOpening(At(utc)).ShouldBe(At(expected));

    [Theory]
    [InlineData("Mon..Fri 02:00-05:00 Europe/Berlin", "2026-11-24T01:30:00Z", "2026-11-24T04:00:00Z")]
    [InlineData("Sat 22:00-Sun 04:00 UTC", "2026-11-28T23:00:00Z", "2026-11-29T04:00:00Z")]
    [InlineData("Sun 02:00-05:00 Europe/Berlin", "2026-10-25T00:00:00Z", "2026-10-25T04:00:00Z")] // four real hours: 02:00-03:00 happens twice
    [InlineData("Sun 02:00-05:00 Europe/Berlin", "2026-03-29T01:00:00Z", "2026-03-29T03:00:00Z")] // two real hours: 02:00-03:00 never happens
    [InlineData("Sun 02:30-02:45 Europe/Berlin", "2026-10-25T00:30:00Z", "2026-10-25T00:45:00Z")]
    [InlineData("Sun 01:00-02:30 Europe/Berlin", "2026-10-24T23:30:00Z", "2026-10-25T00:30:00Z")]
    public void NextClosing_is_when_the_open_schedule_closes(string window, string utc, string expected) =>
        Schedule(window).NextClosing(At(utc)).ShouldBe(At(expected));

    [Fact]
    public void Windows_that_touch_close_only_when_the_last_of_them_closes()
    {
        var schedule = Schedule("Mon..Sun 22:00-24:00 UTC", "Mon..Sun 00:00-02:00 UTC");

        schedule.NextClosing(At("2026-11-24T23:00:00Z")).ShouldBe(At("2026-11-25T02:00:00Z"));
        schedule.NextOpening(At("2026-11-24T03:00:00Z")).ShouldBe(At("2026-11-24T22:00:00Z"));
    }

    [Fact]
    public void Windows_in_different_zones_each_open_on_their_own_clock()
    {
        var schedule = Schedule("Tue 02:00-03:00 America/New_York", "Tue 02:00-03:00 Europe/Berlin");

        schedule.NextOpening(At("2026-11-23T12:00:00Z")).ShouldBe(At("2026-11-24T01:00:00Z"));
        schedule.NextOpening(At("2026-11-24T01:30:00Z")).ShouldBe(At("2026-11-24T07:00:00Z"));
        schedule.Contains(At("2026-11-24T07:30:00Z")).ShouldBeTrue();
    }

    [Fact]
    public void The_offset_an_instant_is_written_in_changes_nothing()
    {
        var schedule = Schedule("Mon..Fri 02:00-05:00 Europe/Berlin");

        schedule.Contains(At("2026-11-24T06:30:00+05:00")).ShouldBe(schedule.Contains(At("2026-11-24T01:30:00Z")));
        schedule.Contains(At("2026-11-24T06:30:00+05:00")).ShouldBeTrue();
    }

    [Theory]
    [InlineData("2026-11-24T03:30:00Z", "2026-11-24T03:30:00Z")] // 04:30 CET, 30 minutes left: usable now
    [InlineData("2026-11-24T03:31:00Z", "2026-11-25T01:00:00Z")] // 29 minutes left: the next window
    [InlineData("2026-11-24T00:00:00Z", "2026-11-24T01:00:00Z")]
    [InlineData("2026-11-27T03:45:00Z", "2026-11-30T01:00:00Z")]
    public void NextUsable_leaves_at_least_the_minimum_in_the_window(string utc, string expected) =>
        Schedule("Mon..Fri 02:00-05:00 Europe/Berlin").NextUsable(At(utc), TimeSpan.FromMinutes(30)).ShouldBe(At(expected));

    [Fact]
    public void A_window_shorter_than_the_minimum_is_never_usable()
    {
        var schedule = Schedule("Mon 02:00-02:10 UTC");

        schedule.IsUsable(At("2026-11-23T02:00:00Z"), TimeSpan.FromMinutes(30)).ShouldBeFalse();
        schedule.NextUsable(At("2026-11-23T00:00:00Z"), TimeSpan.FromMinutes(30)).ShouldBeNull();
    }

    [Fact]
    public void No_windows_means_always_open()
    {
        var schedule = Schedule();

        schedule.Contains(At("2026-11-24T10:55:00Z")).ShouldBeTrue();
        schedule.NextOpening(At("2026-11-24T10:55:00Z")).ShouldBeNull();
        schedule.NextUsable(At("2026-11-24T10:55:00Z"), TimeSpan.FromHours(1)).ShouldBe(At("2026-11-24T10:55:00Z"));
    }
}
