using System.Globalization;
using System.Text;

namespace Lockstep.Metrics;

/// <summary>
/// Prometheus' text exposition format, as node_exporter's textfile collector reads it: each family
/// once, with HELP and TYPE lines before its samples; label values escaped.
/// </summary>
public sealed class MetricsText
{
    private readonly StringBuilder _text = new();
    private readonly HashSet<string> _families = new(StringComparer.Ordinal);

    /// <summary>Starts a family; <paramref name="type"/> is gauge or counter.</summary>
    public MetricsText Family(string name, string type, string help)
    {
        if (!_families.Add(name))
        {
            throw new InvalidOperationException($"metric family {name} written twice");
        }

        _text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
        _text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        return this;
    }

    /// <summary>One sample of the family just started; labels as name/value pairs.</summary>
    public MetricsText Sample(string name, double value, params (string Name, string Value)[] labels)
    {
        _text.Append(name);
        if (labels.Length > 0)
        {
            _text.Append('{').AppendJoin(',', labels.Select(l => $"{l.Name}=\"{Escape(l.Value)}\"")).Append('}');
        }

        _text.Append(' ').Append(Number(value)).Append('\n');
        return this;
    }

    /// <summary>A family with a single unlabelled sample.</summary>
    public MetricsText Single(string name, string type, string help, double value) => Family(name, type, help).Sample(name, value);

    public override string ToString() => _text.ToString();

    /// <summary>Backslash, double quote and newline are escaped in label values.</summary>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
    }

    private static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : double.IsNaN(value) ? "NaN" : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The value of an unlabelled sample <paramref name="name"/> in an earlier file's text, for counters carried across runs.</summary>
    public static double? ReadSample(string? text, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (string line in (text ?? "").Split('\n'))
        {
            if (line.StartsWith(name + " ", StringComparison.Ordinal)
                && double.TryParse(line[(name.Length + 1)..].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
                && double.IsFinite(value))
            {
                return value;
            }
        }

        return null;
    }
}
