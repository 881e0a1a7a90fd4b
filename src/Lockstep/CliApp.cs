using System.CommandLine;
using Lockstep.Cli.Commands;

namespace Lockstep.Cli;

/// <summary>Parses and dispatches; each command's logic lives in Lockstep.Core.</summary>
internal static class CliApp
{
    public const int UsageError = 2;

    /// <summary>Symlink names that stand for a subcommand, as the tools Lockstep replaces.</summary>
    private static readonly Dictionary<string, string[]> DropIns = new(StringComparer.Ordinal)
    {
        ["dib-run-parts"] = ["run-parts"],
        ["os-refresh-config"] = ["refresh"],
    };

    public static int Run(string invokedAs, string[] args)
    {
        string program = "lockstep";
        if (DropIns.TryGetValue(invokedAs, out var prefix))
        {
            args = [.. prefix, .. args];
            program = invokedAs;
        }

        var root = new RootCommand("Lockstep: run script directories, refresh configuration, keep state and update fleets safely.")
        {
            RunPartsCommand.Create(program),
            RefreshCommand.Create(program),
            HistoryCommand.Create(),
        };

        var result = root.Parse(args);
        if (result.Errors.Count > 0 && !HelpRequested(result))
        {
            string command = result.CommandResult.Command is RootCommand ? program : $"lockstep {result.CommandResult.Command.Name}";
            Console.Error.WriteLine($"{command}: {FirstLine(result.Errors[0].Message)}; see '{command} --help'");
            return UsageError;
        }

        return result.Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim().TrimEnd('.');

    private static bool HelpRequested(ParseResult result) =>
        result.Tokens.Any(t => t.Value is "--help" or "-h" or "-?");
}
