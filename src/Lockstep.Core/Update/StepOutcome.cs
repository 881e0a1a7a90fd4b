using Lockstep.Logging;

namespace Lockstep.Update;

/// <summary>What a step handler decided: move to <see cref="Next"/>, or stop with a status and one line.</summary>
internal readonly record struct StepOutcome(UpdateStep? Next, int ExitCode, string? Message, LogLevel Level)
{
    /// <summary>The script (or reboot_cmd) whose failure stopped the run, for the fleet report.</summary>
    public Fleet.FailedScript? Failure { get; init; }

    public static StepOutcome Go(UpdateStep next) => new(next, 0, null, LogLevel.Info);

    public static StepOutcome Finish(string message) => new(null, UpdateExitCodes.Done, message, LogLevel.Info);

    public static StepOutcome Fail(int exitCode, string message) => new(null, exitCode, message, LogLevel.Error);

    public static StepOutcome Interrupted(UpdateStep step, int signal) =>
        Fail(128 + signal, $"stopped by signal {signal} during {step.Name()}; the state is kept and the next run resumes at {step.Name()}");
}
