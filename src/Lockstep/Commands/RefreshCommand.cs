using System.CommandLine;
using System.Globalization;
using Lockstep.Config;
using Lockstep.Logging;
using Lockstep.Parts;
using Lockstep.Processes;
using Lockstep.Refresh;

namespace Lockstep.Cli.Commands;

/// <summary><c>lockstep refresh</c>: os-refresh-config semantics and more (README "lockstep refresh").</summary>
internal static class RefreshCommand
{
    private const string OsRefreshConfig = "os-refresh-config";

    public static Command Create(CommandHost host, string program)
    {
        var baseDir = new Option<string>("--base-dir") { Description = $"Directory holding the phase directories (default ${BaseDirectory.EnvironmentVariable}, else {BaseDirectory.Default})", HelpName = "DIR" };
        var lockFile = new Option<string>("--lockfile")
        {
            Description = "Lock file held (flock) for the whole run, to prevent multiple running copies",
            HelpName = "PATH",
            DefaultValueFactory = _ => RefreshOptions.DefaultLockFile,
        };
        var timeout = new Option<int>("--timeout") { Description = "Seconds until the whole run is stopped and every process it started killed (0: none; -1 too when invoked as os-refresh-config)", HelpName = "SECONDS", CustomParser = r => WholeSeconds(r, noneBelowZero: program == OsRefreshConfig) };
        var scriptTimeout = Seconds.CreateOption("--script-timeout", "Kill a script and everything it started (its whole process tree) after this many seconds (TERM, grace, KILL)");
        var errorTimeout = Seconds.CreateOption("--error-timeout", $"Bound on the whole error.d run (default {RefreshOptions.DefaultErrorTimeout.TotalSeconds:0}; 0: none)");
        var killGrace = Seconds.CreateOption("--kill-grace", "Seconds between TERM and KILL when a timeout fires (default 10)");
        var waitLock = Seconds.CreateOption("--wait-lock", "Wait this long for another run to release the lock instead of exiting 11 at once");
        var phases = new Option<string[]>("--phase") { Description = $"Run only this phase (repeatable; run in canonical order): {string.Join(", ", RefreshPhases.All)}", HelpName = "NAME" };
        phases.Validators.Add(r =>
        {
            foreach (string name in r.GetValueOrDefault<string[]>() ?? [])
            {
                if (RefreshPhases.Normalise(name) is null)
                {
                    r.AddError($"--phase takes one of {string.Join(", ", RefreshPhases.All)}, not '{name}'");
                }
            }
        });
        var list = new Option<bool>("--list") { Description = "Print each script that would run, phase by phase, in order; run nothing" };
        var stateDir = StateDirectory.CreateOption();
        var printBase = new Option<bool>("--print-base") { Description = "Print the base directory and exit" };
        var printPhases = new Option<bool>("--print-phases") { Description = "Print the phases (tab separated) and exit" };
        var metricsFile = new Option<string>("--metrics-file")
        {
            Description = "Write a Prometheus textfile (for node_exporter) with the run's outcome and each phase's duration when the refresh ends",
            HelpName = "FILE",
        };
        var logLevel = CliLog.CreateOption();
        var command = new HostedCommand(
            "refresh",
            "Run the configuration phases in order, error.d on failure, one run at a time (a drop-in for os-refresh-config)",
            (result, message) => RecordUsageError(host, result, message))
        {
            baseDir, lockFile, timeout, scriptTimeout, errorTimeout, killGrace, waitLock, phases, list, stateDir, printBase, printPhases, metricsFile, logLevel,
        };

        command.SetAction(result =>
        {
            var (resolved, deprecated) = BaseDirectory.Resolve(
                result.GetValue(baseDir), host.Variable(BaseDirectory.EnvironmentVariable), Directory.Exists);
            if (result.GetValue(printBase))
            {
                return CommandHost.Print(resolved + "\n");
            }

            if (result.GetValue(printPhases))
            {
                return CommandHost.Print(string.Join('\t', RefreshPhases.All) + "\n");
            }

            var log = host.Log(result, logLevel, program == "lockstep" ? "refresh" : program);
            if (deprecated)
            {
                log.Warn(BaseDirectory.DeprecationWarning);
            }

            try
            {
                var options = new RefreshOptions(resolved, host.Environment)
                {
                    Phases = RefreshPhases.Select(result.GetValue(phases) ?? []),
                    LockFile = result.GetValue(lockFile)!,
                    WaitLock = Seconds.ToTimeSpan(result.GetValue(waitLock)) ?? TimeSpan.Zero,
                    Timeout = result.GetValue(timeout) is > 0 and var t ? TimeSpan.FromSeconds(t) : null,
                    ScriptTimeout = Seconds.ToTimeSpan(result.GetValue(scriptTimeout)),
                    ErrorTimeout = result.GetValue(errorTimeout) is { } e ? Seconds.ToTimeSpan(e) : RefreshOptions.DefaultErrorTimeout,
                    KillGrace = Seconds.ToTimeSpan(result.GetValue(killGrace)) ?? ProcessSpec.DefaultKillGrace,
                    NameFilter = PartNameFilter.FromEnvironment(host.Environment),
                    StateDirectory = result.GetValue(stateDir)!,
                    MetricsFile = result.GetValue(metricsFile) is { Length: > 0 } metrics ? Lockstep.Files.PathWalk.FullPath(metrics) : null,
                };
                if (result.GetValue(list))
                {
                    return CommandHost.Print(string.Concat(RefreshListing.List(options, log).Select(p => p.Path + "\n")));
                }

                host.PrepareToRunScripts();
                return new RefreshSession(host.Runner, log, host.Clock, host.Stop).Run(options);
            }
            catch (PartsException e)
            {
                log.Error(e.Message);
                return e.ExitCode;
            }
        });
        return command;
    }

    /// <summary>
    /// os-refresh-config's --timeout is argparse type=int: whole seconds only. Invoked by that name,
    /// a negative one means no limit, as os-refresh-config runs with --timeout -1.
    /// </summary>
    private static int WholeSeconds(System.CommandLine.Parsing.ArgumentResult r, bool noneBelowZero)
    {
        string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value <= Duration.MaxSeconds)
        {
            return value;
        }

        if (noneBelowZero && text.Length > 1 && text[0] == '-' && int.TryParse(text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return 0;
        }

        r.AddError($"--timeout takes a whole number of seconds from 0 to {Duration.MaxSeconds} (about 23 days), not '{Printable.Escape(text, 40)}'");
        return 0;
    }

    /// <summary>A refresh refused for its arguments still leaves a record, so history shows every attempt.</summary>
    private static void RecordUsageError(CommandHost host, ParseResult result, string message)
    {
        string stateDirectory = TryValue(result, "--state-dir") ?? RefreshOptions.DefaultStateDirectory;
        var (baseDirectory, _) = BaseDirectory.Resolve(
            TryValue(result, "--base-dir"), host.Variable(BaseDirectory.EnvironmentVariable), Directory.Exists);
        var log = host.Stderr("refresh", LogLevel.Warn);
        new RefreshSession(host.Runner, log, host.Clock, host.Stop).RecordRefused(stateDirectory, baseDirectory, message);
    }

    private static string? TryValue(ParseResult result, string option)
    {
        try
        {
            return result.GetValue<string>(option);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }
}
