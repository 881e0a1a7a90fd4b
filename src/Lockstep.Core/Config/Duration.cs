using System.Globalization;

namespace Lockstep.Config;

/// <summary>
/// Every duration Lockstep takes, from a command line or a configuration: a number of seconds from
/// 0 to <see cref="MaxSeconds"/> (about 23 days). The bound keeps each one within what timers and
/// waits can hold (2^31 - 1 milliseconds), so <c>1e300</c> is refused as bad input, never an overflow.
/// </summary>
public static class Duration
{
    public const double MaxSeconds = 2_000_000;

    /// <summary>For messages: "a number of seconds from 0 to 2000000".</summary>
    public const string Expected = "a number of seconds from 0 to 2000000 (about 23 days)";

    public static bool TryParseSeconds(string text, out double seconds) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out seconds) && seconds >= 0 && seconds <= MaxSeconds;
}
