using System.CommandLine;
using System.Globalization;
using Lockstep.History;
using Lockstep.Logging;

namespace Lockstep.Cli.Commands;

/// <summary><c>lockstep history</c>: the recorded runs, as a table or as JSON.</summary>
internal static class HistoryCommand
{
    private const int DefaultLast = 10;

    public static Command Create(CommandHost host)
    {
        var last = new Option<int>("--last")
        {
            Description = $"Show the newest N runs (default {DefaultLast}; at most {RunStore.DefaultKeep} are kept)",
            HelpName = "N",
            DefaultValueFactory = _ => DefaultLast,
            CustomParser = r =>
            {
                string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
                if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0)
                {
                    return n;
                }

                r.AddError($"--last takes a number of runs (1 or more), not '{text}'");
                return DefaultLast;
            },
        };
        var json = new Option<bool>("--json") { Description = "Print the records as a JSON array (oldest first), for machines" };
        var detail = new Option<bool>("--detail") { Description = "Show each phase and script under its run" };
        var html = new Option<string>("--html") { Description = "Write the runs as one self-contained HTML page (a picture of phases and scripts on a time axis) to FILE", HelpName = "FILE" };
        var stateDir = StateDirectory.CreateOption();
        var command = new Command("history", "Show the recorded refresh runs: when, how long, how they ended")
        {
            last, json, detail, html, stateDir,
        };

        command.SetAction(result =>
        {
            var store = RunStore.InStateDirectory(result.GetValue(stateDir)!);
            IReadOnlyList<StoredRun> runs;
            try
            {
                runs = RunHistory.Load(store, result.GetValue(last));
            }
            catch (RunStoreException e)
            {
                return CliLog.Fail("lockstep history", $"{e.Message}; run as root or give --state-dir DIR", 1);
            }

            foreach (var run in runs.Where(r => r.Problem is not null))
            {
                Console.Error.WriteLine(Printable.Escape($"lockstep history: cannot read run record {run.Path}: {run.Problem}; it is shown as unreadable and left in place"));
            }

            if (runs.Count == 0 && !result.GetValue(json))
            {
                Console.Error.WriteLine($"lockstep history: no runs recorded in {store.Directory}");
                return 0;
            }

            if (result.GetValue(html) is { } file)
            {
                return PictureFile.Write("lockstep history", file, HistoryHtml.Render(runs, TimeZoneInfo.Local));
            }

            string text = result.GetValue(json)
                ? RunHistory.ToJson(runs)
                : HistoryTable.Format(runs, result.GetValue(detail), TimeZoneInfo.Local);
            return CommandHost.Print(text);
        });
        return command;
    }
}
