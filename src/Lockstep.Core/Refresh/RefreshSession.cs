using System.Globalization;
using Lockstep.History;
using Lockstep.Logging;
using Lockstep.Processes;

namespace Lockstep.Refresh;

/// <summary>
/// A whole refresh: the record begins before the lock is tried (so even a refused run is recorded),
/// the lock is held until the final record is written, then released.
/// </summary>
public sealed class RefreshSession(IProcessRunner runner, ILog log, TimeProvider clock, StopSignal stop)
{
    public const string Command = "refresh";

    /// <summary>Runs the refresh and returns its exit status.</summary>
    public int Run(RefreshOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var journal = OpenJournal(options.StateDirectory, options.BaseDirectory);
        journal.Begin();
        RefreshLock held;
        try
        {
            held = RefreshLock.Acquire(options.LockFile, options.WaitLock, clock, stop, log);
        }
        catch (RefreshException e)
        {
            log.Error(e.Message);
            var outcome = e.ExitCode switch
            {
                RefreshExitCodes.LockHeld => RunOutcome.LockHeld,
                > 128 => RunOutcome.Interrupted,
                _ => RunOutcome.NotStarted,
            };
            journal.Finish(outcome, e.ExitCode, e.Message);
            WriteMetrics(options, journal);
            return e.ExitCode;
        }

        using (held)
        {
            if (RefreshRunner.IsMissing(options.BaseDirectory) && options.BaseDirectory.Length > 0)
            {
                log.Warn($"base directory {options.BaseDirectory} does not exist; nothing to run (set --base-dir or ${BaseDirectory.EnvironmentVariable})");
            }

            var result = new RefreshRunner(runner, log, clock, stop).Run(options, journal);
            journal.Finish(result.Outcome, result.ExitStatus, result.Failure?.Message);
            WriteMetrics(options, journal);
            Report(result, journal);
            return result.ExitStatus;
        }
    }

    /// <summary>Records a refresh refused for its arguments (exit 2), so history shows every attempt, not only those that parsed.</summary>
    public void RecordRefused(string stateDirectory, string baseDirectory, string message)
    {
        using var journal = OpenJournal(stateDirectory, baseDirectory);
        journal.Begin();
        journal.Finish(RunOutcome.NotStarted, RefreshExitCodes.Usage, message);
    }

    private RunJournal OpenJournal(string stateDirectory, string baseDirectory)
    {
        // os-refresh-config run by a user prints nothing when nothing runs; the default state directory is root's.
        var unrecorded = stateDirectory == RefreshOptions.DefaultStateDirectory && FileStat.EffectiveUid != 0 ? LogLevel.Debug : LogLevel.Warn;
        return new RunJournal(RunStore.InStateDirectory(stateDirectory), Command, baseDirectory, clock, log, unrecordedLevel: unrecorded);
    }

    private void WriteMetrics(RefreshOptions options, RunJournal journal)
    {
        if (options.MetricsFile is { } path)
        {
            var file = new Metrics.MetricsFile(path, "--metrics-file", log);
            file.Write(RefreshMetrics.Render(journal.Record, file.ReadPrevious()));
        }
    }

    private void Report(RefreshResult result, RunJournal journal)
    {
        string record = journal.RecordPath is { } path ? $"; record {path}" : "";
        if (result.Failure is { } failure)
        {
            string what = result.Outcome == RunOutcome.Interrupted ? "refresh interrupted" : "refresh failed";
            log.Error($"{what} (exit {result.ExitStatus}): {failure.Message}{record}");
        }
        else if (result.PhasesRun > 0)
        {
            log.Info(string.Create(CultureInfo.InvariantCulture,
                $"refresh succeeded: {result.PhasesRun} phase(s), {result.ScriptsRun} script(s){record}"));
        }
    }
}
