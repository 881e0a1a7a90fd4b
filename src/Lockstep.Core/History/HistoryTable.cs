using System.Globalization;
using System.Text;
using Lockstep.Logging;

namespace Lockstep.History;

/// <summary>Run records as a table for people: one row a run, optionally each phase and script under it.</summary>
public static class HistoryTable
{
    private const string Row = "{0,-19}  {1,9}  {2,-14}  {3,4}  {4,6}  {5,7}  {6}";

    public static string Format(IReadOnlyList<StoredRun> runs, bool detail, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var text = new StringBuilder();
        Append(text, Row, "STARTED", "DURATION", "OUTCOME", "EXIT", "PHASES", "SCRIPTS", "DETAIL");
        foreach (var run in runs)
        {
            if (run.Record is not { } record)
            {
                Append(text, Row, "?", "-", "unreadable", "-", "-", "-", $"{run.Path}: {run.Problem}");
                continue;
            }

            var ran = record.Phases.Where(p => p.Outcome != RunOutcome.Skipped).ToList();
            Append(text, Row,
                TimeZoneInfo.ConvertTime(record.StartedAt, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                Duration(record.DurationSeconds),
                Name(record.Outcome),
                record.ExitStatus?.ToString(CultureInfo.InvariantCulture) ?? "-",
                ran.Count,
                ran.Sum(p => p.Scripts.Count),
                Detail(record));
            if (detail)
            {
                AppendDetail(text, record);
            }
        }

        return text.ToString();
    }

    public static string Name(RunOutcome outcome) => RunOutcomeJsonConverter.Name(outcome);

    internal static string Detail(RunRecord record)
    {
        switch (record.Outcome)
        {
            case RunOutcome.Running:
                return $"running now (pid {record.Process.Pid})";
            case RunOutcome.DidNotFinish:
                var phase = record.ErrorHandlers is { Outcome: RunOutcome.DidNotFinish } handlers ? handlers : record.Phases.LastOrDefault(p => p.Outcome == RunOutcome.DidNotFinish);
                string where = phase is null ? "before any phase ran" : $"during {phase.Name}" + (phase.Scripts.LastOrDefault(s => s.Status is null) is { } script ? $" ({script.Path})" : "");
                return $"lockstep was killed or crashed {where}";
            default:
                return record.Message ?? "";
        }
    }

    private static void AppendDetail(StringBuilder text, RunRecord record)
    {
        Line(text, $"    run {record.Id}, base {record.BaseDir}");
        foreach (var phase in record.Phases.Append(record.ErrorHandlers))
        {
            if (phase is null)
            {
                continue;
            }

            string status = phase.Status is { } s && phase.Outcome != RunOutcome.Succeeded ? $" (status {s})" : "";
            string where = phase.Outcome == RunOutcome.Skipped ? $"  {phase.Directory} does not exist" : "";
            Line(text, string.Create(CultureInfo.InvariantCulture, $"    {phase.Name + ".d",-18} {Duration(phase.DurationSeconds),9}  {Name(phase.Outcome)}{status}{where}"));
            foreach (var script in phase.Scripts)
            {
                string outcome = script.Status is { } code ? $"status {code}" : record.Outcome == RunOutcome.Running ? "running" : "did not finish";
                Line(text, string.Create(CultureInfo.InvariantCulture, $"      {script.Name,-16} {Duration(script.DurationSeconds),9}  {outcome}"));
            }
        }
    }

    internal static string Duration(double? seconds) =>
        seconds is { } s ? s.ToString("0.000", CultureInfo.InvariantCulture) + " s" : "-";

    private static void Append(StringBuilder text, string format, params object[] values) =>
        Line(text, string.Format(CultureInfo.InvariantCulture, format, values));

    /// <summary>One line of the table: what a record holds (names, messages) cannot break or flood it.</summary>
    private static void Line(StringBuilder text, string line) => text.Append(Printable.Escape(line.TrimEnd())).Append('\n');
}
