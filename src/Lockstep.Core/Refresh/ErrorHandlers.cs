using System.Globalization;
using Lockstep.History;
using Lockstep.Logging;
using Lockstep.Parts;
using Lockstep.Processes;

namespace Lockstep.Refresh;

/// <summary>
/// <c>BASE/error.d</c>, run once when a phase fails, told what failed through LOCKSTEP_FAILED_*.
/// It has its own bound (--error-timeout), so a hanging handler cannot hold the host's lock forever.
/// </summary>
public sealed class ErrorHandlers(IProcessRunner runner, ILog log, TimeProvider clock, StopSignal stop)
{
    /// <summary>Runs error.d under its own bound; its failure is reported and otherwise ignored: the run has already failed.</summary>
    public void Run(RefreshOptions options, PhaseFailure failure, RunJournal journal)
    {
        string dir = Path.Combine(options.BaseDirectory, "error.d");
        if (RefreshRunner.IsMissing(dir))
        {
            log.Debug($"phase {failure.Phase} failed; there is no {dir} to call");
            return;
        }

        log.Info($"phase {failure.Phase} failed; calling error handlers in {dir}");
        journal.PhaseStarted(RefreshPhases.ErrorHandlers, dir, errorHandlers: true);
        var environment = options.Environment.With(
            (RefreshRunner.PhaseVariable, RefreshPhases.ErrorHandlers),
            (RefreshRunner.FailedPhaseVariable, failure.Phase),
            (RefreshRunner.FailedScriptVariable, failure.Script),
            (RefreshRunner.FailedStatusVariable, failure.Status.ToString(CultureInfo.InvariantCulture)));
        var timeLeft = PhaseRequest.Countdown(options.ErrorTimeout, clock);
        string? problem;
        try
        {
            var result = new PartsRunner(runner, log, clock, stop).Run(PhaseRequest.For(dir, environment, options, timeLeft, journal));
            problem = result.End switch
            {
                PartsEnd.Succeeded => null,
                PartsEnd.DeadlineExceeded => string.Create(CultureInfo.InvariantCulture,
                    $"they did not finish within --error-timeout ({options.ErrorTimeout?.TotalSeconds:0.###} s) and were killed"),
                PartsEnd.Interrupted => $"interrupted by signal {stop.Received}",
                _ => $"{result.Failed?.Part.Path ?? dir} failed with status {result.ExitStatus}",
            };
            journal.PhaseFinished(Outcome(result.End), result.ExitStatus, problem);
        }
        catch (PartsException e)
        {
            problem = e.Message;
            journal.PhaseFinished(RunOutcome.Failed, e.ExitCode, problem);
        }

        if (problem is not null)
        {
            log.Error($"error handlers in {dir}: {problem} (ignored: the refresh has already failed)");
        }
    }

    private static RunOutcome Outcome(PartsEnd end) => end switch
    {
        PartsEnd.Succeeded => RunOutcome.Succeeded,
        PartsEnd.DeadlineExceeded => RunOutcome.TimedOut,
        PartsEnd.Interrupted => RunOutcome.Interrupted,
        _ => RunOutcome.Failed,
    };
}
