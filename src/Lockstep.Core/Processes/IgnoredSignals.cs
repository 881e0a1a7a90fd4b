using System.Globalization;

namespace Lockstep.Processes;

/// <summary>
/// A signal ignored when Lockstep started stays ignored: the runtime installs no handler for it.
/// That is right for a stop signal under nohup, but not for a signal that asks a server to act.
/// </summary>
internal static class IgnoredSignals
{
    /// <summary>Sets <paramref name="signal"/> back to its default action when it is ignored, so that a handler registered next is installed.</summary>
    public static void TakeBack(int signal)
    {
        if (IsIgnored(signal))
        {
            _ = LibC.signal(signal, LibC.SIG_DFL);
        }
    }

    private static bool IsIgnored(int signal)
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("SigIgn:", StringComparison.Ordinal)
                    && ulong.TryParse(line.AsSpan("SigIgn:".Length).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong mask))
                {
                    return (mask & (1UL << (signal - 1))) != 0;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No /proc (a bare chroot): the signal is left as it came.
        }

        return false;
    }
}
