using System.Globalization;
using System.Net;
using System.Text;

namespace Lockstep.Pictures;

/// <summary>A bar on a row, in seconds from the chart's origin; <see cref="Class"/> colours it, <see cref="Title"/> is its tooltip.</summary>
public sealed record ChartBar(double From, double To, string Class, string Title);

/// <summary>A marked moment (a failure), with a label written beside it.</summary>
public sealed record ChartMark(double At, string Class, string Label);

/// <summary>One row: a label, its bars, thin bars beneath them (spans in which a host held a slot; scripts) and marks.</summary>
public sealed record ChartRow(string Label, IReadOnlyList<ChartBar> Bars, IReadOnlyList<ChartBar> Under, IReadOnlyList<ChartMark> Marks);

/// <summary>
/// Rows of bars over a time axis as inline SVG (no scripts, no external assets): the picture of
/// <c>lockstep fleet report --html</c> and <c>lockstep history --html</c>.
/// </summary>
public static class TimelineChart
{
    private const int Width = 1100;
    private const int LabelWidth = 190;
    private const int RowHeight = 34;
    private const int AxisHeight = 28;
    private const int Ticks = 6;

    /// <param name="span">Seconds the axis covers, from 0.</param>
    /// <param name="tick">The axis label of a moment, in seconds from the origin.</param>
    public static string Svg(IReadOnlyList<ChartRow> rows, double span, Func<double, string> tick)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(tick);
        span = span > 0 ? span : 1;
        int height = AxisHeight + (rows.Count * RowHeight) + 8;
        double plot = Width - LabelWidth - 20;
        double At(double seconds) => LabelWidth + (Math.Clamp(seconds, 0, span) / span * plot);
        string X(double seconds) => F(At(seconds));
        string W(ChartBar bar) => F(Math.Max(2, At(bar.To) - At(bar.From)));

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" role=\"img\">\n");
        for (int i = 0; i <= Ticks; i++)
        {
            double at = span * i / Ticks;
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{X(at)}\" y1=\"{AxisHeight - 6}\" x2=\"{X(at)}\" y2=\"{height - 4}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{X(at)}\" y=\"{AxisHeight - 10}\" text-anchor=\"{(i == 0 ? "start" : i == Ticks ? "end" : "middle")}\">{E(tick(at))}</text>\n");
        }

        for (int r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            int top = AxisHeight + (r * RowHeight);
            svg.Append(CultureInfo.InvariantCulture, $"<g class=\"row\" data-label=\"{E(row.Label)}\">");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"label\" x=\"{LabelWidth - 10}\" y=\"{top + 17}\" text-anchor=\"end\">{E(Cut(row.Label, 26))}</text>");
            foreach (var bar in row.Bars)
            {
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect class=\"bar {E(bar.Class)}\" x=\"{X(bar.From)}\" y=\"{top + 4}\" width=\"{W(bar)}\" height=\"18\"><title>{E(bar.Title)}</title></rect>");
            }

            foreach (var bar in row.Under)
            {
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect class=\"under {E(bar.Class)}\" x=\"{X(bar.From)}\" y=\"{top + 24}\" width=\"{W(bar)}\" height=\"5\"><title>{E(bar.Title)}</title></rect>");
            }

            foreach (var mark in row.Marks)
            {
                svg.Append(CultureInfo.InvariantCulture,
                    $"<g class=\"mark {E(mark.Class)}\"><title>{E(mark.Label)}</title><circle cx=\"{X(mark.At)}\" cy=\"{top + 13}\" r=\"6\"/><text x=\"{X(mark.At)}\" dx=\"9\" y=\"{top + 17}\">{E(Cut(mark.Label, 70))}</text></g>");
            }

            svg.Append("</g>\n");
        }

        return svg.Append("</svg>\n").ToString();
    }

    /// <summary>HTML-escapes text for an element or an attribute.</summary>
    public static string E(string text) => WebUtility.HtmlEncode(text);

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Cut(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1), "…");
}
