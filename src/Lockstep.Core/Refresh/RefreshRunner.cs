using System.Globalization;
using Lockstep.History;
using Lockstep.Logging;
using Lockstep.Parts;
using Lockstep.Processes;

namespace Lockstep.Refresh;

/// <summary>
/// os-refresh-config's loop: each phase is a run-parts run of <c>BASE/PHASE.d</c> (so
/// <c>BASE/environment.d</c> is sourced for each); the first failing phase stops the run and
/// <c>BASE/error.d</c> runs, told what failed.
/// </summary>
internal sealed class RefreshRunner(IProcessRunner runner, ILog log, TimeProvider clock, StopSignal stop)
{
    public const string PhaseVariable = "LOCKSTEP_PHASE";
    public const string FailedPhaseVariable = "LOCKSTEP_FAILED_PHASE";
    public const string FailedScriptVariable = "LOCKSTEP_FAILED_SCRIPT";
    public const string FailedStatusVariable = "LOCKSTEP_FAILED_STATUS";

    public RefreshResult Run(RefreshOptions options, RunJournal journal)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(journal);
        var timeLeft = PhaseRequest.Countdown(options.Timeout, clock);
        int phases = 0, scripts = 0;
        foreach (string phase in options.Phases)
        {
            string dir = RefreshPhases.DirectoryOf(options.BaseDirectory, phase);
            if (IsMissing(dir))
            {
                log.Debug($"skipping phase {phase}: {dir} does not exist");
                journal.PhaseSkipped(phase, dir);
                continue;
            }

            log.Info($"Starting phase {phase}");
            journal.PhaseStarted(phase, dir);
            phases++;
            var (failure, count) = RunPhase(phase, dir, options, timeLeft, journal);
            scripts += count;
            if (failure is null)
            {
                journal.PhaseFinished(RunOutcome.Succeeded, 0, null);
                log.Info($"Completed phase {phase}");
                continue;
            }

            journal.PhaseFinished(failure.Outcome, failure.Status, failure.Message);
            if (failure.Outcome == RunOutcome.Interrupted)
            {
                return new RefreshResult(RunOutcome.Interrupted, 128 + stop.Received, failure, phases, scripts);
            }

            new ErrorHandlers(runner, log, clock, stop).Run(options, failure, journal);
            return new RefreshResult(failure.Outcome, RefreshExitCodes.Failed, failure, phases, scripts);
        }

        return new RefreshResult(RunOutcome.Succeeded, RefreshExitCodes.Succeeded, null, phases, scripts);
    }

    /// <summary>A phase directory that does not exist is skipped, as os-refresh-config's os.path.exists test skips it.</summary>
    internal static bool IsMissing(string dir) => FileStat.TryStat(dir, out _) is LibC.ENOENT or LibC.ENOTDIR;

    private (PhaseFailure? Failure, int Scripts) RunPhase(string phase, string dir, RefreshOptions options, Func<TimeSpan?> timeLeft, RunJournal journal)
    {
        var request = PhaseRequest.For(dir, options.Environment.With((PhaseVariable, phase)), options, timeLeft, journal);
        PartsResult result;
        try
        {
            result = new PartsRunner(runner, log, clock, stop).Run(request);
        }
        catch (PartsException e)
        {
            // A signal that arrives while environment.d is sourced stops the run as one during a script does.
            if (stop.Received is int signal and > 0)
            {
                return (new PhaseFailure(phase, dir, 128 + signal, RunOutcome.Interrupted, $"phase {phase}: interrupted by signal {signal}"), 0);
            }

            // environment.d is sourced under the deadline too; a kill there is the deadline's doing.
            return timeLeft() is { } left && left <= TimeSpan.Zero
                ? (new PhaseFailure(phase, dir, ProcessOutcome.TimeoutStatus, RunOutcome.TimedOut, $"phase {phase}: {DeadlineText(options)} while environment.d was sourced"), 0)
                : (new PhaseFailure(phase, dir, e.ExitCode, RunOutcome.Failed, $"phase {phase}: {e.Message}"), 0);
        }

        if (result.Succeeded)
        {
            return (null, result.Runs.Count);
        }

        var failed = result.Failed;
        string script = failed?.Part.Path ?? dir;
        int status = failed?.Status ?? result.ExitStatus;
        var failure = result.End switch
        {
            PartsEnd.DeadlineExceeded => new PhaseFailure(phase, script, status, RunOutcome.TimedOut,
                $"phase {phase}: {DeadlineText(options)}{(failed is null ? "" : $" while {failed.Part.Path} ran; its processes were killed")}"),
            PartsEnd.Interrupted => new PhaseFailure(phase, script, status, RunOutcome.Interrupted,
                $"phase {phase}: interrupted by signal {stop.Received}"),
            _ => new PhaseFailure(phase, script, status, RunOutcome.Failed, $"phase {phase}: {script} failed with status {status}"),
        };
        return (failure, result.Runs.Count);
    }

    private static string DeadlineText(RefreshOptions options) =>
        string.Create(CultureInfo.InvariantCulture, $"the run's --timeout of {options.Timeout?.TotalSeconds:0.###} s passed");
}
