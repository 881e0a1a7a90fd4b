using Lockstep.Files;
using Lockstep.Logging;
using Lockstep.Processes;

namespace Lockstep.Update;

/// <summary>
/// Runs the workflow's scripts and reboot_cmd so that a run killed while one runs leaves what the
/// next run needs to find it (<see cref="ScriptRecord"/>, README "After a killed run"). The record
/// is written before the spawn with a random marker that the script's environment carries, and
/// again with the pid once it runs: a kill between spawn and the second write leaves a script the
/// marker still identifies, so there is no moment in which a running script is unrecorded.
/// </summary>
internal sealed class RecordedRunner(IProcessRunner inner, string recordPath, Func<string> bootId, TimeProvider clock, ILog log) : IProcessRunner
{
    private readonly Lazy<string> _bootId = new(bootId);
    private readonly Lazy<int> _session = new(() => ProcessTable.TryRead(Environment.ProcessId)?.Session ?? 0);

    public ProcessOutcome Run(ProcessSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var record = new ScriptRecord(
            _bootId.Value, spec.Environment.Get("LOCKSTEP_STEP") ?? "", spec.Path, Guid.NewGuid().ToString("N"), _session.Value, clock.GetUtcNow());
        try
        {
            ScriptRecordFile.Write(recordPath, record);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UpdateException(
                $"script record {recordPath} (beside [main] state) cannot be written ({FileFailure.Reason(e, recordPath)}), so {spec.Path} was not run: " +
                "a run killed while it ran could not find it. Fix the path, permissions or free space of [main] state and run lockstep update again",
                UpdateExitCodes.BadInput);
        }

        var outcome = inner.Run(spec with
        {
            Environment = spec.Environment.With((ScriptRecordFile.MarkerVariable, record.Marker)),
            Started = pid => Started(record, pid),
        });
        try
        {
            ScriptRecordFile.Clear(recordPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Harmless: the next run finds that the recorded script has ended.
            log.Warn($"script record {recordPath} cannot be removed ({FileFailure.Reason(e, recordPath)}); the next run will find its script ended");
        }

        return outcome;
    }

    /// <summary>Adds the pid and start time; a failure leaves the first record, whose marker still finds the script.</summary>
    private void Started(ScriptRecord record, int pid)
    {
        if (ProcessTable.TryRead(pid) is not { } entry)
        {
            return;
        }

        try
        {
            ScriptRecordFile.Write(recordPath, record with { Pid = pid, StartTicks = entry.StartTicks });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Warn($"script record {recordPath} cannot be updated with pid {pid} ({FileFailure.Reason(e, recordPath)}); a run after a kill finds the script by its {ScriptRecordFile.MarkerVariable}");
        }
    }
}
