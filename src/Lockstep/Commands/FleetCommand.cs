using System.CommandLine;
using Lockstep.Config;
using Lockstep.Fleet;
using Lockstep.Locks;
using Lockstep.Logging;

namespace Lockstep.Cli.Commands;

/// <summary><c>lockstep fleet status|pause|resume|report</c>: the fleet as a whole, for operators.</summary>
internal static class FleetCommand
{

    public static Command Create(CommandHost host)
    {
        var json = new Option<bool>("--json") { Description = "Print the status as one JSON object" };
        var status = Subcommand(host, "fleet", "status", "Show the lock, every host's step and outcome, and flag what needs a person (exit 1 when anything is flagged)", [json],
            async (fleet, result, log, ct) =>
            {
                var view = await FleetStatusReader.ReadAsync(fleet, ct).ConfigureAwait(false);
                foreach (var row in view.Rows.Where(r => r.Problem is not null))
                {
                    log.Warn($"the report of {row.Host} cannot be read ({row.Problem}); it is shown as unreadable and left in place");
                }

                Console.Out.Write(result.GetValue(json) ? FleetStatusText.ToJson(view) : FleetStatusText.ToText(view));
                return view.Flagged ? FleetExitStatus.Flagged : FleetExitStatus.Ok;
            });

        var reason = new Option<string>("--reason") { Description = "Why (recorded, and logged by every host that waits)", HelpName = "TEXT", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace the reason of a lock already paused" };
        var pause = Subcommand(host, "fleet", "pause", "Grant no new slot to any Lockstep host until resumed; hosts holding one finish", [reason, force],
            async (fleet, result, log, ct) =>
            {
                string why = OneLine(result.GetValue(reason)!);
                if (why.Length == 0)
                {
                    throw new ConfigException("--reason is empty; say why the rollout is paused");
                }

                var record = new PauseRecord(FleetContext.Operator(), fleet.Clock.GetUtcNow(), why);
                var (now, changed) = await FleetControl.PauseAsync(fleet.Store, fleet.LockName, record, result.GetValue(force), ct).ConfigureAwait(false);
                Console.Out.WriteLine(changed
                    ? $"paused lock {fleet.LockName} ({fleet.Store.Describe}): {now.Reason}"
                    : $"lock {fleet.LockName} is already paused by {now.By} at {FleetStatusText.Time(now.At)}: {now.Reason} (kept; --force replaces it)");
                return FleetExitStatus.Ok;
            });
        var resume = Subcommand(host, "fleet", "resume", "End a pause: hosts waiting at lock_get take free slots again", [],
            async (fleet, _, _, ct) =>
            {
                var ended = await FleetControl.ResumeAsync(fleet.Store, fleet.LockName, ct).ConfigureAwait(false);
                Console.Out.WriteLine(ended is null
                    ? $"lock {fleet.LockName} is not paused: nothing to resume"
                    : $"resumed lock {fleet.LockName} (paused by {ended.By}: {ended.Reason})");
                return FleetExitStatus.Ok;
            });
        var html = new Option<string>("--html") { Description = "The HTML file to write (self-contained: inline SVG and CSS, no scripts)", HelpName = "FILE", Required = true };
        var since = new Option<TimeSpan?>("--since")
        {
            Description = "Show this much time back, e.g. 90m, 12h, 7d (default: as far back as the reports go)",
            HelpName = "DURATION",
            CustomParser = r =>
            {
                string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
                if (Durations.TryParse(text, out var span))
                {
                    return span;
                }

                r.AddError($"--since takes a duration such as 90m, 12h or 7d (a number with s, m, h or d), not '{text}'");
                return null;
            },
        };
        var report = Subcommand(host, "fleet", "report", "Write the rollout as one HTML page: a timeline a host, the spans holding a slot, failures, and the status table", [html, since],
            async (fleet, result, _, ct) =>
            {
                var view = await FleetStatusReader.ReadAsync(fleet, ct).ConfigureAwait(false);
                var from = result.GetValue(since) is { } back ? view.Now - back : (DateTimeOffset?)null;
                return PictureFile.Write("lockstep fleet report", result.GetValue(html)!, FleetHtml.Render(view, from));
            });
        return new Command("fleet", "See the whole fleet's update and steer it: status, pause, resume, report") { status, pause, resume, report };
    }

    /// <summary>A subcommand reading the update configuration; maps every expected failure to one line and its status.</summary>
    internal static Command Subcommand(CommandHost host, string parent, string name, string description, Option[] options, Func<FleetContext, ParseResult, ILog, CancellationToken, Task<int>> run)
    {
        var config = ConfigOption();
        var logLevel = CliLog.CreateOption();
        var command = new Command(name, description) { config, logLevel };
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, ct) =>
        {
            var log = host.Log(result, logLevel, $"{parent} {name}");
            return await Guarded(log, async () =>
            {
                await using var fleet = FleetContext.FromConfig(IniFile.Load(result.GetValue(config)!), log, host.Clock);
                return await run(fleet, result, log, ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        });
        return command;
    }

    internal static Option<string> ConfigOption() => new("--config", "--cfg")
    {
        Description = "The update configuration ([main] backend and lock_name, [fleet], the backend's keys)",
        HelpName = "FILE",
        DefaultValueFactory = _ => LockCommand.DefaultConfig,
    };

    /// <summary>Runs <paramref name="work"/>, turning the failures Lockstep expects into one line and the documented status.</summary>
    internal static async Task<int> Guarded(ILog log, Func<Task<int>> work)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (ConfigException e)
        {
            log.Error(e.Message);
            return FleetExitStatus.ConfigError;
        }
        catch (NotSupportedException e)
        {
            log.Error(e.Message);
            return FleetExitStatus.ConfigError;
        }
        catch (LockException e)
        {
            log.Error(e.Message);
            return Locks.Operator.LockExitStatus.For(e.Kind);
        }
    }

    internal static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
