using System.Globalization;
using Lockstep.Files;
using Lockstep.Logging;
using Lockstep.Processes;

namespace Lockstep.Update;

/// <summary>
/// Before a run starts any script: a script that a killed run left running (its
/// <see cref="ScriptRecord"/> names it, <see cref="ScriptLeftover"/> finds it) is waited for, since
/// ending an apt or dpkg run midway is worse than waiting, up to what is left of its
/// <c>script_timeout</c>; then it is ended as a timeout ends a script. README, "After a killed run".
/// </summary>
internal sealed class LeftoverScripts(ILeftoverProcesses processes, TimeProvider clock, ILog log)
{
    /// <summary>How often the wait looks whether the script has ended.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    /// <summary>Waits for the recorded script, if it still runs; null to go on, or the exit status (128+N) when a stop signal ended the wait.</summary>
    /// <param name="scriptTimeout">Bounds the script's whole run, counted from when it started; null waits as long as it takes.</param>
    public async Task<int?> SettleAsync(string recordPath, Func<string> readBootId, TimeSpan? scriptTimeout, TimeSpan killGrace, StopSignal stop)
    {
        ArgumentNullException.ThrowIfNull(readBootId);
        ArgumentNullException.ThrowIfNull(stop);
        ScriptRecord? record;
        try
        {
            record = ScriptRecordFile.Read(recordPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            string reason = e is FormatException ? e.Message : FileFailure.Reason(e, recordPath);
            log.Warn($"script record {recordPath} cannot be read ({reason}); a script a killed run left cannot be looked for. It is replaced when the next script starts");
            return null;
        }

        if (record is null)
        {
            return null;
        }

        string bootId = readBootId();
        if (ScriptLeftover.Script(record, bootId, processes.Table(), pid => processes.Marked(pid, record.Marker)) is not { } script)
        {
            log.Debug(record.BootId == bootId
                ? $"the {record.Step} script {record.Script} a killed run recorded has ended"
                : $"the script record {recordPath} is of an earlier boot ({record.BootId}): nothing of it runs");
            Clear(recordPath);
            return null;
        }

        var started = record.StartedAt;
        DateTimeOffset? deadline = scriptTimeout is { } timeout ? started + timeout : null;
        string what = $"{record.Step} script {record.Script} (pid {script.Pid}, process group {script.ProcessGroup})";
        string bound = deadline is { } end
            ? $"for at most {Seconds(end - clock.GetUtcNow())} more (script_timeout {Seconds(scriptTimeout!.Value)} from its start)"
            : "for as long as it runs (script_timeout = 0)";
        log.Warn($"{what}, left by a lockstep update that was killed, still runs after {Seconds(clock.GetUtcNow() - started)}; " +
            $"waiting {bound} before anything runs again");
        var waitStart = clock.GetTimestamp();
        try
        {
            while (processes.IsRunning(script))
            {
                var now = clock.GetUtcNow();
                if (deadline is { } due && now >= due)
                {
                    log.Warn($"{what} outlived script_timeout ({Seconds(scriptTimeout!.Value)}): ending it with its process group (TERM, then KILL after kill_grace {Seconds(killGrace)})");
                    processes.End(() => ScriptLeftover.Members(script, processes.Table(), pid => processes.Marked(pid, record.Marker), Environment.ProcessId), killGrace);
                    log.Warn($"{what} ended; {record.Step} runs again");
                    Clear(recordPath);
                    return null;
                }

                var pause = deadline is { } limit && limit - now < Poll ? limit - now : Poll;
                await Task.Delay(pause, clock, stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.Requested)
        {
            log.Error($"stopped by signal {stop.Received} while waiting for {what}; it was left running, and the next run waits for it again");
            return 128 + stop.Received;
        }

        log.Info($"{what} ended after {Seconds(clock.GetElapsedTime(waitStart))} of waiting; going on");
        Clear(recordPath);
        return null;
    }

    private void Clear(string recordPath)
    {
        try
        {
            ScriptRecordFile.Clear(recordPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Warn($"script record {recordPath} cannot be removed ({FileFailure.Reason(e, recordPath)}); the next run looks for its script again");
        }
    }

    private static string Seconds(TimeSpan span) =>
        string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, span.TotalSeconds):0.#} s");
}
