using System.CommandLine;
using System.CommandLine.Parsing;
using Lockstep.Cli.Commands;
using Lockstep.Parts;

namespace Lockstep.Cli;

/// <summary>Parses and dispatches; each command's logic lives in Lockstep.Core.</summary>
internal static class CliApp
{
    public const int UsageError = 2;

    /// <summary>dib-run-parts' usage() exits 1; invoked by that name, so does a usage error.</summary>
    private const string DibRunParts = "dib-run-parts";

    /// <summary>Symlink names that stand for a subcommand, as the tools Lockstep replaces.</summary>
    private static readonly Dictionary<string, string[]> DropIns = new(StringComparer.Ordinal)
    {
        [DibRunParts] = ["run-parts"],
        ["os-refresh-config"] = ["refresh"],
        ["register-state-path"] = ["state", "register"],
    };

    public static int Run(string invokedAs, string[] args)
    {
        string program = "lockstep";
        if (DropIns.TryGetValue(invokedAs, out var prefix))
        {
            args = [.. prefix, .. args];
            program = invokedAs;
        }

        var host = new CommandHost();
        var runParts = RunPartsCommand.Create(host, program);
        if (program == DibRunParts)
        {
            args = [.. args[..1], .. DibRunPartsArguments.UpToDirectory(args[1..], OptionsWithValue(runParts))];
        }

        var root = new RootCommand("Lockstep: run script directories, refresh configuration, keep state and update fleets safely.")
        {
            runParts,
            RefreshCommand.Create(host, program),
            HistoryCommand.Create(host),
            StateCommand.Create(host, program),
            UpdateCommand.Create(host),
            LockCommand.Create(host),
            ServeCommand.Create(host),
            FleetCommand.Create(host),
        };

        // No response files: "@x" is a directory or value like any other word, as for the tools Lockstep
        // replaces, and a word's bytes come from the kernel, not from a file .NET would decode.
        var result = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        string? error = UnknownOption(result) ?? (result.Errors.Count > 0 ? FirstLine(result.Errors[0].Message) : null);
        if (error is not null && !HelpRequested(result))
        {
            string command = CommandName(result, program);
            CliLog.ErrorLine($"{command}: {error}; see '{command} --help'");
            if (result.CommandResult.Command is HostedCommand { OnUsageError: var hook })
            {
                hook(result, error);
            }

            return program == DibRunParts ? 1 : UsageError;
        }

        try
        {
            return result.Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            return LastResort.Report(CommandName(result, program), e, host.Stop);
        }
    }

    private static HashSet<string> OptionsWithValue(Command command) =>
        [.. command.Options.Where(o => o.Arity.MinimumNumberOfValues > 0).SelectMany(o => o.Aliases.Append(o.Name))];

    private static string CommandName(ParseResult result, string program) =>
        result.CommandResult.Command is RootCommand || program != "lockstep" ? program : CommandPath(result.CommandResult);

    /// <summary>"lockstep state register", not just "register", for a subcommand of a subcommand.</summary>
    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? r = command; r is CommandResult { Command: not RootCommand } c; r = r.Parent)
        {
            names.Insert(0, c.Command.Name);
        }

        return $"lockstep {string.Join(' ', names)}";
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim().TrimEnd('.');

    /// <summary>An undefined '--x' would otherwise be taken as a positional argument (a directory named '--x').</summary>
    private static string? UnknownOption(ParseResult result)
    {
        if (result.CommandResult.Command is RootCommand && result.UnmatchedTokens.Count > 0)
        {
            string token = result.UnmatchedTokens[0];
            return token.StartsWith('-') ? $"unknown option '{token}'" : $"unknown command '{token}'";
        }

        foreach (var token in result.Tokens)
        {
            if (token.Type == System.CommandLine.Parsing.TokenType.DoubleDash)
            {
                return null;
            }

            if (token.Type == System.CommandLine.Parsing.TokenType.Argument && token.Value.Length > 1 && token.Value[0] == '-' && !char.IsAsciiDigit(token.Value[1]))
            {
                return $"unknown option '{token.Value}'";
            }
        }

        return null;
    }

    private static bool HelpRequested(ParseResult result) =>
        result.Tokens.Any(t => t.Value is "--help" or "-h" or "-?");
}
