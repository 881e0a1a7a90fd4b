using Lockstep.Files;
using Lockstep.Logging;
using Lockstep.Processes;

namespace Lockstep.Parts;

/// <summary>The run-parts engine every command runs scripts through; it stops between scripts once <paramref name="stop"/> is raised.</summary>
public sealed class PartsRunner(IProcessRunner runner, ILog log, TimeProvider clock, StopSignal stop)
{
    /// <summary>Sources environment.d and runs the parts; throws <see cref="PartsException"/> for unusable input (nothing run).</summary>
    public PartsResult Run(PartsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var parts = PartScanner.Scan(request.Directory, request.NameFilter, request.Order, log);
        // environment.d runs under the same bound as a script: a file that hangs must not hold a lock for ever.
        var environment = EnvironmentFiles.Load(
            EnvironmentFiles.Find(request.Directory, log), request.Environment, runner, log, Min(request.ScriptTimeout, request.TimeLeft()), request.KillGrace);
        return RunParts(parts, environment, request);
    }

    /// <summary>Runs already listed parts with a prepared environment.</summary>
    public PartsResult RunParts(IReadOnlyList<Part> parts, ProcessEnvironment environment, PartsRequest request)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(request);
        var runs = new List<PartRun>(parts.Count);
        var interpreters = new TrustedInterpreters();
        PartRun? failed = null;
        foreach (var part in parts)
        {
            if (Stopped(runs, failed) is { } stopped)
            {
                return stopped;
            }

            var left = request.TimeLeft();
            if (left is { } l && l <= TimeSpan.Zero)
            {
                log.Error($"deadline reached before {part.Path} could start; the run stopped");
                return new PartsResult(PartsEnd.DeadlineExceeded, ProcessOutcome.TimeoutStatus, runs, failed);
            }

            var timeout = Min(request.ScriptTimeout, left);
            log.Info($"Running {part.Path}");
            request.OnStarting?.Invoke(part);
            var started = clock.GetUtcNow();
            long startTicks = clock.GetTimestamp();
            // When the run's deadline comes before the script's own limit, a timeout ends the whole run.
            bool deadlineBinds = left is { } remaining && (request.ScriptTimeout is not { } limit || remaining < limit);
            var outcome = RunChecked(part, interpreters, new ProcessSpec(part.Path, [], environment, timeout, request.KillGrace, TimeoutEndsRun: deadlineBinds));
            var run = new PartRun(part, started, clock.GetElapsedTime(startTicks), outcome);
            runs.Add(run);
            request.OnFinished?.Invoke(run);
            if (outcome.Succeeded)
            {
                log.Info($"{part.Name} completed");
                continue;
            }

            failed = run;
            bool byDeadline = outcome.End == ProcessEnd.TimedOut && deadlineBinds;
            log.Error(Describe(run, byDeadline, request));
            if (byDeadline)
            {
                return new PartsResult(PartsEnd.DeadlineExceeded, run.Status, runs, failed);
            }

            if (!request.ContinueOnError && !stop.Requested)
            {
                return new PartsResult(PartsEnd.PartFailed, run.Status, runs, failed);
            }
        }

        return Stopped(runs, failed)
            ?? (failed is null
                ? new PartsResult(PartsEnd.Succeeded, 0, runs, null)
                : new PartsResult(PartsEnd.PartFailed, failed.Status, runs, failed));
    }

    /// <summary>Runs the very file checked: opened by <see cref="Trust.OpenExecutable"/>, executed through its descriptor. Nothing unchecked is ever run.</summary>
    private ProcessOutcome RunChecked(Part part, TrustedInterpreters interpreters, ProcessSpec spec)
    {
        WalkedPath checkedFile;
        try
        {
            checkedFile = Trust.OpenExecutable(part.Path, "script", interpreters);
        }
        catch (PathRefusedException e) when (e.Errno == 0)
        {
            // Only root or the caller could have changed it since the listing: refuse it as the listing would have.
            log.Error(e.Message);
            return new ProcessOutcome(ProcessEnd.SpawnFailed, LibC.EPERM);
        }
        catch (PathRefusedException e)
        {
            // Gone since the listing (127 for ENOENT, as dib-run-parts). Never exec'd by its name instead:
            // whatever appears there after the walk was never checked.
            return new ProcessOutcome(ProcessEnd.SpawnFailed, e.Errno);
        }

        using (checkedFile)
        {
            return runner.Run(spec with { Executable = checkedFile.Leaf });
        }
    }

    private PartsResult? Stopped(List<PartRun> runs, PartRun? failed)
    {
        int signal = stop.Received;
        if (signal == 0)
        {
            return null;
        }

        log.Error($"received signal {signal}; passed it to the running script and stopped");
        return new PartsResult(PartsEnd.Interrupted, 128 + signal, runs, failed);
    }

    private static TimeSpan? Min(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private static string Describe(PartRun run, bool byDeadline, PartsRequest request)
    {
        string path = run.Part.Path;
        var outcome = run.Outcome;
        return outcome.End switch
        {
            ProcessEnd.Exited => $"{path} failed with exit status {outcome.Code}",
            ProcessEnd.Signaled => $"{path} was killed by signal {outcome.Code} (status {run.Status})",
            ProcessEnd.TimedOut when byDeadline => $"{path} was killed: the run's deadline passed",
            ProcessEnd.TimedOut => $"{path} was killed after its {request.ScriptTimeout!.Value.TotalSeconds:0.###} s timeout (status {run.Status}); raise the timeout or fix the script",
            ProcessEnd.InterpreterMissing => $"{path} cannot be executed: its #! interpreter does not exist (status 127); fix the interpreter line",
            _ => DescribeSpawnFailure(path, outcome.Code),
        };
    }

    private static string DescribeSpawnFailure(string path, int errno) => errno switch
    {
        LibC.ENOENT => $"{path} disappeared before it could run (status 127)",
        LibC.ENOEXEC => $"{path} cannot be executed: it is neither a binary nor has a #! line (status 126); add an interpreter line",
        LibC.EACCES => $"{path} cannot be executed: permission denied (status 126); check its mode and its file system's noexec flag",
        LibC.EPERM => $"{path} was refused (status 126)",
        _ => $"{path} cannot be executed (errno {errno}, status 126)",
    };
}
