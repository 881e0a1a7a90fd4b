using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Lockstep.Fleet;

/// <summary><c>lockstep fleet status</c> as text (a header and one row a host) or as one JSON object.</summary>
public static class FleetStatusText
{
    private const int MessageWidth = 100;

    internal static readonly string[] Columns = ["HOST", "STEP", "SINCE", "SLOT", "OUTCOME", "LAST SEEN", "FLAGS", "MESSAGE"];

    public static string ToText(FleetView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var text = new StringBuilder();
        text.Append("lock: ").Append(view.Lock).Append('\n');
        text.Append("backend: ").Append(view.Backend).Append(" (").Append(view.Server).Append(")\n");
        text.Append("store: ").Append(view.Store).Append('\n');
        if (view.Slots is { } slots)
        {
            text.Append("slots: ").Append(slots).Append('\n');
        }

        text.Append("holders: ").Append(view.Holders is null ? "unknown (the backend cannot list them)" : view.Holders.Count == 0 ? "none" : string.Join(", ", view.Holders)).Append('\n');
        text.Append("paused: ").Append(view.Pause is { } p ? $"yes, by {p.By} at {Time(p.At)}: {p.Reason}" : "no").Append('\n');
        if (view.Rows.Count == 0)
        {
            text.Append("no host has reported yet\n");
            return text.ToString();
        }

        var rows = view.Rows.Select(r => Cells(r, view.Now)).ToList();
        int[] widths = [.. Columns.Select((c, i) => Math.Max(c.Length, rows.Max(r => r[i].Length)))];
        text.Append('\n');
        AppendRow(text, Columns, widths);
        foreach (var row in rows)
        {
            AppendRow(text, row, widths);
        }

        foreach (var row in view.Rows)
        {
            foreach (var audit in row.Audit)
            {
                text.Append("audit ").Append(row.Host).Append(": ").Append(audit.Action).Append(" by ").Append(audit.By).Append(" at ")
                    .Append(Time(audit.At)).Append(": ").Append(audit.Reason).Append('\n');
            }
        }

        return text.ToString();
    }

    public static string ToJson(FleetView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var document = new FleetStatusJson(
            view.Lock, view.Backend, view.Server, view.Store, view.Slots, view.Holders, view.Pause, view.Flagged, view.Now,
            [.. view.Rows.Select(r => new FleetHostJson(r.Host, r.Report?.Step, r.Report?.StepSince, r.HoldsSlot, r.Report?.Outcome ?? (r.Problem is null ? null : ReportOutcome.Unreadable),
                r.Report?.ReportedAt, r.Report?.Message ?? r.Problem, r.Flags, r.Report?.Failure, r.Audit, r.Report))]);
        return JsonSerializer.Serialize(document, FleetJsonContext.Default.FleetStatusJson) + "\n";
    }

    /// <summary>How long ago, shortly: "42s", "5m", "3h12m", "2d4h".</summary>
    public static string Ago(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        return span.TotalMinutes < 1 ? $"{(int)span.TotalSeconds}s"
            : span.TotalHours < 1 ? $"{(int)span.TotalMinutes}m"
            : span.TotalDays < 1 ? $"{(int)span.TotalHours}h{span.Minutes:00}m"
            : $"{(int)span.TotalDays}d{span.Hours}h";
    }

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    internal static string[] Cells(FleetRow row, DateTimeOffset now)
    {
        string slot = row.HoldsSlot switch { true => "yes", false => "no", null => "?" };
        string flags = row.Flags.Count == 0 ? "-" : string.Join(",", row.Flags);
        if (row.Report is not { } report)
        {
            string outcome = row.Problem is null ? "-" : ReportOutcome.Unreadable;
            return [row.Host, "-", "-", slot, outcome, "never", flags, row.Problem ?? "no report (not a Lockstep host, or it never ran)"];
        }

        string message = report.Failure is { } f ? $"{f.Step}: {f.Script} exited {f.Status}" : report.Message ?? "";
        return [row.Host, report.Step, Ago(now - report.StepSince), slot, report.Outcome, Ago(now - report.ReportedAt) + " ago", flags, OneLine(message)];
    }

    /// <summary>The message on one line, cut at <see cref="MessageWidth"/> characters (--json has it whole).</summary>
    private static string OneLine(string text)
    {
        text = text.ReplaceLineEndings(" ");
        return text.Length <= MessageWidth ? text : string.Concat(text.AsSpan(0, MessageWidth - 3), "...");
    }

    private static void AppendRow(StringBuilder text, string[] cells, int[] widths)
    {
        for (int i = 0; i < cells.Length; i++)
        {
            text.Append(i == cells.Length - 1 ? cells[i] : cells[i].PadRight(widths[i] + 2));
        }

        text.Append('\n');
    }
}

internal sealed record FleetStatusJson(
    string Lock, string Backend, string Server, string Store, int? Slots, IReadOnlyList<string>? Holders, PauseRecord? Paused, bool Flagged, DateTimeOffset Now,
    IReadOnlyList<FleetHostJson> Hosts);

internal sealed record FleetHostJson(
    string Host, string? Step, DateTimeOffset? Since, bool? HoldsSlot, string? Outcome, DateTimeOffset? LastSeen, string? Message, IReadOnlyList<string> Flags,
    FailedScript? Failure, IReadOnlyList<AuditEntry> Audit, HostReport? Report);
