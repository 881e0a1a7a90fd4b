using Lockstep.Logging;

namespace Lockstep.Update;

/// <summary>
/// The workflow's next move: to step <see cref="To"/>, or (when it is null) stop with
/// <see cref="ExitCode"/>, logging the fact's line at <see cref="Level"/>.
/// </summary>
/// <param name="RunsRebootCommand">After recording the move, run reboot_cmd: its fact decides how the run ends.</param>
public readonly record struct UpdateDecision(UpdateStep? To, int ExitCode, LogLevel Level, bool RunsRebootCommand = false)
{
    public static UpdateDecision Move(UpdateStep to) => new(to, UpdateExitCodes.Done, LogLevel.Info);

    public static UpdateDecision Stop(int exitCode, LogLevel level) => new(null, exitCode, level);
}
