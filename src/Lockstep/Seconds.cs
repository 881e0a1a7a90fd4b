using System.CommandLine;
using Lockstep.Config;

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
            if (Duration.TryParseSeconds(text, out double value))
            {
                return value;
            }

            r.AddError($"{name} takes {Duration.Expected}, not '{text}'");
            return null;
        },
    };

    public static TimeSpan? ToTimeSpan(double? seconds) => seconds is > 0 ? TimeSpan.FromSeconds(seconds.Value) : null;
}
