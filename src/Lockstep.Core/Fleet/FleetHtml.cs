using System.Text;
using Lockstep.Pictures;
using Lockstep.Update;

namespace Lockstep.Fleet;

/// <summary>
/// <c>lockstep fleet report --html</c>: the rollout as a picture, one row a host, time across, a
/// coloured span per step, the spans in which the host held a slot beneath, failures marked with
/// their message; the status table under it.
/// </summary>
public static class FleetHtml
{
    /// <summary>Steps during which a host holds a slot (it took the lock at lock_get and gives it back at lock_release).</summary>
    private static readonly HashSet<string> UnderLock =
        [.. new[] { UpdateStep.PreUpdate, UpdateStep.Update, UpdateStep.NeedsReboot, UpdateStep.Reboot, UpdateStep.PostUpdate, UpdateStep.LockRelease }.Select(s => s.Name())];

    /// <param name="since">The start of the time axis; null: the oldest step change any report keeps.</param>
    public static string Render(FleetView view, DateTimeOffset? since)
    {
        ArgumentNullException.ThrowIfNull(view);
        var now = view.Now;
        var from = since ?? view.Rows.SelectMany(r => r.Report?.Timeline ?? []).Select(e => e.At).DefaultIfEmpty(now.AddHours(-1)).Min();
        if (from >= now)
        {
            from = now.AddMinutes(-1);
        }

        var rows = view.Rows.Select(r => Row(r, from, now)).ToList();
        var body = new StringBuilder();
        body.Append("<dl>");
        Term(body, "backend", $"{view.Backend} ({view.Server})");
        Term(body, "store", view.Store);
        Term(body, "slots", view.Slots?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown");
        Term(body, "holders", view.Holders is null ? "unknown" : view.Holders.Count == 0 ? "none" : string.Join(", ", view.Holders));
        Term(body, "paused", view.Pause is { } p ? $"yes, by {p.By} at {FleetStatusText.Time(p.At)}: {p.Reason}" : "no");
        Term(body, "shown", $"{FleetStatusText.Time(from)} to {FleetStatusText.Time(now)}");
        body.Append("</dl>\n<div class=\"legend\">");
        foreach (var step in UpdateSteps.All)
        {
            body.Append("<span><svg width=\"12\" height=\"12\"><rect class=\"step-").Append(step.Name()).Append("\" width=\"12\" height=\"12\"/></svg> ").Append(step.Name()).Append("</span>");
        }

        body.Append("<span><svg width=\"12\" height=\"12\"><rect class=\"slot\" y=\"4\" width=\"12\" height=\"5\"/></svg> holds a slot</span></div>\n");
        // Short rollouts get seconds on the axis, long ones the date.
        double span = (now - from).TotalSeconds;
        body.Append(TimelineChart.Svg(rows, span, at => span < 3600 ? FleetStatusText.Time(from.AddSeconds(at))[11..19] : FleetStatusText.Time(from.AddSeconds(at))[5..16]));
        body.Append(HtmlPage.Table(FleetStatusText.Columns, view.Rows.Select(r => (IReadOnlyList<string>)FleetStatusText.Cells(r, now)), i => view.Rows[i].Flags.Count > 0));
        return HtmlPage.Render($"Rollout of lock {view.Lock}", body.ToString());
    }

    private static ChartRow Row(FleetRow row, DateTimeOffset from, DateTimeOffset now)
    {
        var timeline = row.Report?.Timeline ?? [];
        var bars = new List<ChartBar>();
        var slot = new List<ChartBar>();
        var marks = new List<ChartMark>();
        for (int i = 0; i < timeline.Count; i++)
        {
            var entry = timeline[i];
            // A step lasts until the next change; the last one until now unless the run ended there.
            var end = i + 1 < timeline.Count ? timeline[i + 1].At : entry.Outcome is ReportOutcome.Done or ReportOutcome.NothingToDo ? entry.At : now;
            double a = (entry.At - from).TotalSeconds;
            double b = (end - from).TotalSeconds;
            if (entry.Outcome == ReportOutcome.Failed)
            {
                marks.Add(new ChartMark(a, "failure", entry.Message ?? $"{entry.Step} failed"));
            }

            if (b <= 0 || end == entry.At)
            {
                continue;
            }

            string title = $"{row.Host}: {entry.Step}{(entry.Outcome is { } o ? $" ({o})" : "")} from {FleetStatusText.Time(entry.At)} to {FleetStatusText.Time(end)}";
            bars.Add(new ChartBar(a, b, $"step-{entry.Step}", title));
            if (UnderLock.Contains(entry.Step))
            {
                slot.Add(new ChartBar(a, b, "slot", $"{row.Host} held a slot"));
            }
        }

        return new ChartRow(row.Host, bars, slot, marks);
    }

    private static void Term(StringBuilder body, string term, string value) =>
        body.Append("<dt>").Append(TimelineChart.E(term)).Append("</dt><dd>").Append(TimelineChart.E(value)).Append("</dd>");
}
