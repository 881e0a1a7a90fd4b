using System.CommandLine;
using System.Text.Json;
using Lockstep.State;

namespace Lockstep.Cli.Commands;

/// <summary><c>lockstep state</c>: stateful paths on a separate volume, as use-ephemeral (README "lockstep state"); the work is <see cref="StateSession"/>'s.</summary>
internal static class StateCommand
{
    public static Command Create(CommandHost host, string program)
    {
        var options = new StateOptions(host);
        var command = new Command("state", "Keep service state on a separate volume, seeded from pristine copies (use-ephemeral)")
        {
            Register(options, program),
            Verb(options, program, "finalize", "Move registered paths into the pristine store and leave their symlinks (at image build)", session => session.Finalize()),
            Verb(options, program, "restore", "Seed each registered path on the state volume from its pristine copy, where it has none yet", session => session.Restore()),
            List(options, program),
        };
        foreach (var option in options.All)
        {
            command.Options.Add(option);
        }

        return command;
    }

    private static Command Register(StateOptions options, string program)
    {
        var paths = new Argument<string[]>("PATH") { Description = "Absolute path where the service expects its state", Arity = ArgumentArity.OneOrMore };
        var leaveSymlink = new Option<bool>("--leave-symlink") { Description = "At finalize, leave PATH as a symlink to STATE-ROOT/PATH" };
        var command = new Command("register", "Register paths as stateful (a drop-in for use-ephemeral's register-state-path)") { paths, leaveSymlink };
        command.SetAction(result => options.Session(result, NameOf(program, "register")).Register(result.GetValue(paths)!, result.GetValue(leaveSymlink)));
        return command;
    }

    private static Command Verb(StateOptions options, string program, string name, string description, Func<StateSession, int> run)
    {
        var command = new Command(name, description);
        command.SetAction(result => run(options.Session(result, NameOf(program, name))));
        return command;
    }

    private static Command List(StateOptions options, string program)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON (snake_case fields) instead of a table" };
        var command = new Command("list", "Show every registered path and its condition (seeded, pristine-only, missing; symlink)") { json };
        command.SetAction(result => options.Session(result, NameOf(program, "list")).List(listing => CommandHost.Print(result.GetValue(json)
            ? JsonSerializer.Serialize(listing, StateJsonContext.Default.StateListing) + "\n"
            : listing.ToText())));
        return command;
    }

    private static string NameOf(string program, string verb) => program == "lockstep" ? $"state {verb}" : program;
}
