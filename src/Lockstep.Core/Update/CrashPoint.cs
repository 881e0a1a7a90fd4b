using Lockstep.Processes;

namespace Lockstep.Update;

/// <summary>
/// Fault injection for the crash-safety tests: when <c>LOCKSTEP_CRASH_AT</c> names a point the
/// workflow passes (<c>before:STEP</c>, <c>after:STEP</c>, <c>reboot-recorded</c>), Lockstep kills
/// itself there with SIGKILL, exactly as a power cut or the OOM killer would; <c>throw:POINT</c>
/// throws an exception nothing expects there instead, as a bug would. It can only make a run end
/// sooner; it changes nothing else.
/// </summary>
public static class CrashPoint
{
    public const string EnvironmentVariable = "LOCKSTEP_CRASH_AT";

    private const string ThrowPrefix = "throw:";

    public static Action<string> FromEnvironment(string? point)
    {
        if (string.IsNullOrEmpty(point))
        {
            return static _ => { };
        }

        if (point.StartsWith(ThrowPrefix, StringComparison.Ordinal))
        {
            string at = point[ThrowPrefix.Length..];
            return name =>
            {
                if (name == at)
                {
                    throw new InvalidOperationException($"{EnvironmentVariable} reached {at}");
                }
            };
        }

        return name =>
        {
            if (name == point)
            {
                _ = LibC.kill(LibC.getpid(), LibC.SIGKILL);
            }
        };
    }
}
