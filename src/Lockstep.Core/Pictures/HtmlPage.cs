using System.Text;

namespace Lockstep.Pictures;

/// <summary>
/// One self-contained HTML page: inline CSS and SVG, no scripts, no fonts or images from
/// elsewhere, so it reads the same offline, attached to a ticket or mailed.
/// </summary>
public static class HtmlPage
{
    private const string Style = """
        body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1d2430; background: #fff; }
        h1 { font-size: 20px; margin: 0 0 8px; }
        dl { display: grid; grid-template-columns: max-content auto; gap: 2px 12px; margin: 0 0 16px; }
        dt { color: #5b6472; } dd { margin: 0; }
        .timeline { display: block; margin: 8px 0 20px; }
        .timeline .grid { stroke: #e3e6eb; } .timeline .tick { fill: #5b6472; font-size: 11px; }
        .timeline .label { fill: #1d2430; font-size: 12px; }
        .timeline .bar { stroke: #fff; stroke-width: 1; }
        .timeline .mark circle { fill: #c62828; stroke: #fff; stroke-width: 2; } .timeline .mark text { fill: #c62828; font-size: 12px; font-weight: 600; }
        .step-lock_get { fill: #b0bec5; } .step-pre_update { fill: #4f8fd6; } .step-update { fill: #2e6bb8; }
        .step-needs_reboot { fill: #7e57c2; } .step-reboot { fill: #f2a541; } .step-post_update { fill: #26a69a; }
        .step-lock_release { fill: #8bc34a; } .step-needs_update { fill: #cfd8dc; } .slot { fill: #263238; }
        .phase-ok { fill: #2e7d32; } .phase-failed { fill: #c62828; } .phase-other { fill: #f2a541; } .script { fill: #607d8b; }
        .legend span { display: inline-block; margin-right: 14px; font-size: 12px; }
        .legend i { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: -1px; }
        table { border-collapse: collapse; font-size: 13px; }
        th, td { text-align: left; padding: 4px 10px; border-bottom: 1px solid #e3e6eb; vertical-align: top; }
        th { color: #5b6472; font-weight: 600; } tr.flagged td { background: #fdecea; }
        """;

    /// <summary>Writes the page atomically (mode 0644: a report is for sharing); throws <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/>.</summary>
    public static void Write(string path, string html) =>
        Files.AtomicFile.Write(path, Encoding.UTF8.GetBytes(html), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

    public static string Render(string title, string body)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
        html.Append("<title>").Append(TimelineChart.E(title)).Append("</title>\n<style>\n").Append(Style).Append("\n</style>\n</head>\n<body>\n");
        html.Append("<h1>").Append(TimelineChart.E(title)).Append("</h1>\n").Append(body).Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>A table of text cells; rows whose index is in <paramref name="flagged"/> are highlighted.</summary>
    public static string Table(IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<string>> rows, Func<int, bool>? flagged = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        var html = new StringBuilder("<table>\n<tr>");
        foreach (string column in columns)
        {
            html.Append("<th>").Append(TimelineChart.E(column)).Append("</th>");
        }

        html.Append("</tr>\n");
        int index = 0;
        foreach (var row in rows)
        {
            html.Append(flagged?.Invoke(index++) == true ? "<tr class=\"flagged\">" : "<tr>");
            foreach (string cell in row)
            {
                html.Append("<td>").Append(TimelineChart.E(cell)).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        return html.Append("</table>\n").ToString();
    }
}
