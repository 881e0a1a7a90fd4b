using System.Globalization;
using Lockstep.Files;

namespace Lockstep.Update;

/// <summary>When the current boot started: the <c>btime</c> line (seconds since the epoch) of /proc/stat.</summary>
public static class BootTime
{
    public static DateTimeOffset Read(string path)
    {
        string text;
        try
        {
            text = System.Text.Encoding.UTF8.GetString(BoundedFile.Read(path, 4 * 1024 * 1024));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unusable(path, $"cannot be read ({FileFailure.Reason(e, path)})");
        }

        return Parse(text) ?? throw Unusable(path, "has no 'btime SECONDS' line");
    }

    internal static DateTimeOffset? Parse(string text)
    {
        foreach (string line in text.Split('\n'))
        {
            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words is ["btime", var seconds] && long.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out long epoch))
            {
                return DateTimeOffset.FromUnixTimeSeconds(epoch);
            }
        }

        return null;
    }

    private static UpdateException Unusable(string path, string what) =>
        new($"boot time file {path} ([main] boot_time_file) {what}; point the setting at /proc/stat", UpdateExitCodes.BadInput);
}
