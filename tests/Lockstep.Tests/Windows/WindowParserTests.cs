using Lockstep.Windows;

namespace Lockstep.Tests.Windows;

public sealed class WindowParserTests
{
    [Theory]
    [InlineData("Mon..Fri 02:00-05:00 Europe/Berlin", "Europe/Berlin", 5, 180)]
    [InlineData("mon,WED,sat..sun 2:00 - 5:30", "UTC", 4, 210)]
    [InlineData("Sat 22:00-Sun 04:00 UTC", "UTC", 1, 360)]
    [InlineData("Fri 22:00-Mon 06:00 America/New_York", "America/New_York", 1, 3360)]
    [InlineData("Sun 23:00-24:00", "UTC", 1, 60)]
    [InlineData("Fri..Mon 01:00-02:00", "UTC", 4, 60)]
    public void Windows_parse_into_spans_of_the_week(string text, string zone, int spans, int minutes)
    {
        var window = WindowParser.TryParse(text, TimeZoneInfo.Utc, out string error).ShouldNotBeNull(error);

        window.Zone.Id.ShouldBe(zone);
        window.Spans.Count.ShouldBe(spans);
        window.Spans.ShouldAllBe(s => s.Length == TimeSpan.FromMinutes(minutes));
    }

    [Theory]
    [InlineData("Mon..Fri 02:00", "does not have the shape of a window")]
    [InlineData("02:00-05:00", "does not have the shape of a window")]
    [InlineData("Mon..Fri 02:00-05:00 Europe/Berlln", "'Europe/Berlln' is not a known time zone")]
    [InlineData("Mon 02:00-05:00 ../../etc/passwd", "is not a known time zone")]
    [InlineData("Mon 02:00-05:00 /etc/localtime", "is not a known time zone")]
    [InlineData("Mon 02:00-02:00", "zero length")]
    [InlineData("Sat 22:00-Sat 22:00", "zero length")]
    [InlineData("Mon 22:00-04:00", "it ends (04:00) before it starts (22:00) on the same day; a window across midnight names its end day")]
    [InlineData("Sat 22:00-Sat 04:00", "it ends (04:00) before it starts (22:00) on the same day")]
    [InlineData("Mon 25:00-26:00", "HH:MM")]
    [InlineData("Mon 02:60-03:00", "HH:MM")]
    [InlineData("Mon 24:00-24:00", "HH:MM")]
    [InlineData("Mon..Fry 02:00-05:00", "'Mon..Fry' is not a list of days")]
    [InlineData("Mon..Fri 22:00-Sat 04:00", "starts on one day and ends on one day")]
    [InlineData("Mon 00:00-Sun 24:00", "a week or longer")]
    public void Bad_windows_are_refused_with_the_reason(string text, string reason)
    {
        WindowParser.TryParse(text, TimeZoneInfo.Utc, out string error).ShouldBeNull();
        error.ShouldContain(reason);
    }
}
