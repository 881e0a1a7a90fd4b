using System.Globalization;

namespace Lockstep.Config;

/// <summary>One setting with where it came from, so a bad value is reported as file:line [section] key.</summary>
public sealed record IniValue(string File, string Section, string Key, string Text, int Line)
{
    public string Where => $"{File}:{Line}: [{Section}] {Key}";

    public int AsInt(int min = int.MinValue, int max = int.MaxValue)
    {
        if (int.TryParse(Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max)
        {
            return value;
        }

        string range = max == int.MaxValue ? $"{min} or more" : $"{min} to {max}";
        throw new ConfigException($"{Where} = '{Text}' is not a whole number {range}; fix the value");
    }

    public double AsSeconds()
    {
        if (Duration.TryParseSeconds(Text, out double value))
        {
            return value;
        }

        throw new ConfigException($"{Where} = '{Text}' is not {Duration.Expected}; fix the value");
    }

    public bool AsBool() => Text.ToLowerInvariant() switch
    {
        "1" or "yes" or "true" or "on" => true,
        "0" or "no" or "false" or "off" => false,
        _ => throw new ConfigException($"{Where} = '{Text}' is not a boolean; use true or false"),
    };
}
