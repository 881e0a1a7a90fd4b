using Lockstep.Processes;

namespace Lockstep.Update;

/// <summary>
/// Fault injection for the crash-safety tests: when <c>LOCKSTEP_CRASH_AT</c> names a point the
/// workflow passes (<c>before:STEP</c>, <c>after:STEP</c>, <c>reboot-recorded</c>), Lockstep kills
/// itself there with SIGKILL, exactly as a power cut or the OOM killer would. It can only make a run
/// end sooner; it changes nothing else.
/// </summary>
public static class CrashPoint
{
    public const string EnvironmentVariable = "LOCKSTEP_CRASH_AT";

    public static Action<string> FromEnvironment(string? point) =>
        string.IsNullOrEmpty(point)
            ? static _ => { }
            : name =>
            {
                if (name == point)
                {
                    _ = LibC.kill(LibC.getpid(), LibC.SIGKILL);
                }
            };
}
