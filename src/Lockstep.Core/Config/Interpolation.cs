using System.Text;
using Lockstep.Logging;

namespace Lockstep.Config;

/// <summary>
/// Python configparser's BasicInterpolation, which foreman_dlm_updater's config.ini was read with:
/// <c>%%</c> is a literal <c>%</c>, <c>%(name)s</c> is the value of <c>name</c> (case-insensitive) in
/// the same section or [DEFAULT], itself expanded, at most <see cref="MaxDepth"/> levels deep.
/// Any other <c>%</c> is an error, as there. See README, "Configuration file".
/// </summary>
public static class Interpolation
{
    /// <summary>configparser's MAX_INTERPOLATION_DEPTH.</summary>
    public const int MaxDepth = 10;

    /// <summary>
    /// Expands <paramref name="value"/> as read in <paramref name="section"/>; <paramref name="lookup"/>
    /// gives a key's raw value in
    /// <paramref name="section"/> (its own, else [DEFAULT]'s), or null when neither sets it.
    /// </summary>
    public static string Expand(IniValue value, string section, Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(lookup);
        if (!value.Text.Contains('%', StringComparison.Ordinal))
        {
            return value.Text;
        }

        var expanded = new StringBuilder(value.Text.Length);
        Expand(value, section, value.Text, lookup, expanded, 1);
        return expanded.ToString();
    }

    private static void Expand(IniValue value, string section, string rest, Func<string, string?> lookup, StringBuilder expanded, int depth)
    {
        if (depth > MaxDepth)
        {
            throw Refused(value, $"goes more than {MaxDepth} %(name)s references deep (a reference loop?); resolve the chain");
        }

        int at = 0;
        while (at < rest.Length)
        {
            int percent = rest.IndexOf('%', at);
            if (percent < 0)
            {
                expanded.Append(rest, at, rest.Length - at);
                return;
            }

            expanded.Append(rest, at, percent - at);
            char next = percent + 1 < rest.Length ? rest[percent + 1] : '\0';
            if (next == '%')
            {
                expanded.Append('%');
                at = percent + 2;
                continue;
            }

            if (next != '(')
            {
                throw Refused(value, "has a '%' not followed by '%' or '(name)s'; write %% for a literal %");
            }

            int close = rest.IndexOf(')', percent + 2);
            if (close < 0 || close == percent + 2 || close + 1 >= rest.Length || rest[close + 1] != 's')
            {
                throw Refused(value, "has a bad reference (write %(name)s, or %% for a literal %)");
            }

            string name = rest[(percent + 2)..close].ToLowerInvariant();
            string? referenced = lookup(name);
            if (referenced is null)
            {
                throw Refused(value, $"refers to %({Printable.Escape(name, 200)})s, which neither [{section}] nor [DEFAULT] sets; set it, or write %% for a literal %");
            }

            if (referenced.Contains('%', StringComparison.Ordinal))
            {
                Expand(value, section, referenced, lookup, expanded, depth + 1);
            }
            else
            {
                expanded.Append(referenced);
            }

            at = close + 2;
        }
    }

    private static ConfigException Refused(IniValue value, string what) =>
        new($"{value.Where} = '{Printable.Escape(value.Text, 300)}' {what}");
}
