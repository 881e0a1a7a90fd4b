using System.CommandLine;
using System.Globalization;

namespace Lockstep.Cli;

/// <summary>Options given in whole or fractional seconds, where 0 means no limit.</summary>
internal static class Seconds
{
    public static Option<double?> CreateOption(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "SECONDS",
        CustomParser = r =>
        {
            string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= 0 && double.IsFinite(value))
            {
                return value;
            }

            r.AddError($"{name} takes a number of seconds (0 or more), not '{text}'");
            return null;
        },
    };

    public static TimeSpan? ToTimeSpan(double? seconds) => seconds is > 0 ? TimeSpan.FromSeconds(seconds.Value) : null;
}
