using System.CommandLine;
using System.Text;
using Lockstep.Logging;
using Lockstep.Parts;
using Lockstep.Processes;

namespace Lockstep.Cli.Commands;

/// <summary><c>lockstep run-parts</c>: dib-run-parts semantics (README "lockstep run-parts").</summary>
internal static class RunPartsCommand
{
    public static Command Create(CommandHost host, string program)
    {
        var dir = new Argument<string>("DIR") { Description = "The directory whose scripts run" };
        var list = new Option<bool>("--list") { Description = "Print DIR/NAME of each script that would run, in order; run nothing" };
        var order = new Option<string>("--order")
        {
            Description = "numeric: dib-run-parts' 'sort -n' order (default); lexical: Debian run-parts' byte order",
            DefaultValueFactory = _ => "numeric",
            HelpName = "numeric|lexical",
        };
        order.AcceptOnlyFromAmong("numeric", "lexical");
        var continueOnError = new Option<bool>("--continue-on-error") { Description = "Run every script and exit with the last failure's status (Debian run-parts)" };
        var scriptTimeout = Seconds.CreateOption("--script-timeout", "Kill a script and everything it started (its whole process tree) after this many seconds (TERM, grace, KILL); exit 124");
        var killGrace = Seconds.CreateOption("--kill-grace", "Seconds between TERM and KILL when a timeout fires (default 10)");
        var logLevel = CliLog.CreateOption();
        var command = new Command("run-parts", "Run the executable scripts of a directory in order (a drop-in for dib-run-parts)")
        {
            dir, list, order, continueOnError, scriptTimeout, killGrace, logLevel,
        };

        command.SetAction(result =>
        {
            string name = program == "lockstep" ? "run-parts" : program;
            var log = host.Log(result, logLevel, name);
            try
            {
                var filter = PartNameFilter.FromEnvironment(host.Environment);
                string directory = result.GetValue(dir)!;
                if (result.GetValue(list))
                {
                    return List(directory, filter, OrderOf(result.GetValue(order)), log);
                }

                host.PrepareToRunScripts();
                var request = new PartsRequest(directory, host.Environment)
                {
                    Order = OrderOf(result.GetValue(order)),
                    NameFilter = filter,
                    ContinueOnError = result.GetValue(continueOnError),
                    ScriptTimeout = Seconds.ToTimeSpan(result.GetValue(scriptTimeout)),
                    KillGrace = Seconds.ToTimeSpan(result.GetValue(killGrace)) ?? ProcessSpec.DefaultKillGrace,
                };
                var outcome = new PartsRunner(host.Runner, log, host.Clock, host.Stop).Run(request);
                if (outcome.Succeeded && log.IsEnabled(LogLevel.Info))
                {
                    Console.Error.Write(TimingTable.Format(Path.GetFileName(directory.TrimEnd('/')), outcome.Runs));
                }

                // Debian run-parts, whose --continue-on-error this is, exits 1 whatever failed.
                return request.ContinueOnError && outcome.End == PartsEnd.PartFailed ? 1 : outcome.ExitStatus;
            }
            catch (PartsException e)
            {
                log.Error(e.Message);
                return e.ExitCode;
            }
        });
        return command;
    }

    private static PartOrderKind OrderOf(string? text) => text == "lexical" ? PartOrderKind.Lexical : PartOrderKind.Numeric;

    private static int List(string directory, PartNameFilter filter, PartOrderKind order, ILog log)
    {
        var parts = PartScanner.Scan(directory, filter, order, log);
        var text = new StringBuilder();
        foreach (var part in parts)
        {
            text.Append(part.Path).Append('\n');
        }

        return CommandHost.Print(text.ToString());
    }
}
