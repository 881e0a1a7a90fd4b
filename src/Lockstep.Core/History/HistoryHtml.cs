using System.Globalization;
using Lockstep.Pictures;

namespace Lockstep.History;

/// <summary>
/// <c>lockstep history --html</c>: recorded refresh runs as a picture, one row a run, its phases as
/// bars on a time axis from the run's start (scripts beneath them), failures marked with their
/// message; the runs' table under it.
/// </summary>
public static class HistoryHtml
{
    private static readonly string[] Columns = ["STARTED", "DURATION", "OUTCOME", "EXIT", "DETAIL"];

    public static string Render(IReadOnlyList<StoredRun> runs, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var records = runs.Where(r => r.Record is not null).Select(r => r.Record!).ToList();
        double span = records.Select(r => r.DurationSeconds ?? Seconds(r, r.Phases.LastOrDefault())).DefaultIfEmpty(1).Max();
        var rows = records.Select(r => Row(r, zone)).ToList();
        string body = TimelineChart.Svg(rows, span, at => $"+{at.ToString(span < 10 ? "0.00" : "0.#", CultureInfo.InvariantCulture)} s")
            + HtmlPage.Table(Columns, runs.Select(r => Cells(r, zone)), i => runs[i].Record?.Outcome is not (RunOutcome.Succeeded or RunOutcome.Running));
        return HtmlPage.Render("Refresh runs", body);
    }

    private static ChartRow Row(RunRecord record, TimeZoneInfo zone)
    {
        var bars = new List<ChartBar>();
        var scripts = new List<ChartBar>();
        var marks = new List<ChartMark>();
        foreach (var phase in record.Phases.Append(record.ErrorHandlers).OfType<PhaseRecord>().Where(p => p.Outcome != RunOutcome.Skipped))
        {
            double start = (phase.StartedAt - record.StartedAt).TotalSeconds;
            string outcome = HistoryTable.Name(phase.Outcome);
            string style = phase.Outcome switch { RunOutcome.Succeeded => "phase-ok", RunOutcome.Failed or RunOutcome.TimedOut => "phase-failed", _ => "phase-other" };
            bars.Add(new ChartBar(start, start + (phase.DurationSeconds ?? 0), style, $"{phase.Name}: {outcome}, {HistoryTable.Duration(phase.DurationSeconds).Trim()}"));
            foreach (var script in phase.Scripts)
            {
                double at = (script.StartedAt - record.StartedAt).TotalSeconds;
                scripts.Add(new ChartBar(at, at + (script.DurationSeconds ?? 0), "script", $"{script.Path}: status {script.Status?.ToString(CultureInfo.InvariantCulture) ?? "-"}"));
            }

            if (style == "phase-failed")
            {
                marks.Add(new ChartMark(start + (phase.DurationSeconds ?? 0), "failure", $"{phase.Name} {outcome}: {phase.Message ?? record.Message}"));
            }
        }

        return new ChartRow(Started(record, zone), bars, scripts, marks);
    }

    private static string[] Cells(StoredRun run, TimeZoneInfo zone) => run.Record is { } record
        ? [Started(record, zone), HistoryTable.Duration(record.DurationSeconds).Trim(), HistoryTable.Name(record.Outcome), record.ExitStatus?.ToString(CultureInfo.InvariantCulture) ?? "-", HistoryTable.Detail(record)]
        : ["?", "-", "unreadable", "-", $"{run.Path}: {run.Problem}"];

    private static string Started(RunRecord record, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(record.StartedAt, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static double Seconds(RunRecord record, PhaseRecord? last) =>
        last is null ? 0 : (last.StartedAt - record.StartedAt).TotalSeconds + (last.DurationSeconds ?? 0);
}
