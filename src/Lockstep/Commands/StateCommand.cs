using System.CommandLine;
using System.Text;
using System.Text.Json;
using Lockstep.Logging;
using Lockstep.State;

namespace Lockstep.Cli.Commands;

/// <summary><c>lockstep state</c>: stateful paths on a separate volume, as use-ephemeral (SPEC.md section 3).</summary>
internal static class StateCommand
{
    public static Command Create(string program)
    {
        var options = new StateOptions();
        var command = new Command("state", "Keep service state on a separate volume, seeded from pristine copies (use-ephemeral)")
        {
            Register(options, program),
            Verb(options, program, "finalize", "Move registered paths into the pristine store and leave their symlinks (at image build)", (layout, log, paths) => new StateFinalizer(layout, log).Finalize(paths)),
            Verb(options, program, "restore", "Seed each registered path on the state volume from its pristine copy, where it has none yet", (layout, log, paths) => new StateRestorer(layout, log).Restore(paths)),
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
        command.SetAction(result =>
        {
            var log = options.Log(result, NameOf(program, "register"));
            var layout = options.Layout(result);
            bool flag = result.GetValue(leaveSymlink);
            var valid = new List<StatefulPath>();
            int refused = 0;
            foreach (string raw in result.GetValue(paths)!)
            {
                string? problem = StatefulPath.TryNormalize(raw, out string path, out string why) ? layout.Overlap(path) : why;
                if (problem is null)
                {
                    valid.Add(new StatefulPath(path, flag));
                    continue;
                }

                log.Error($"cannot register: {problem}");
                refused++;
            }

            int failures = StateOptions.Guard(log, () =>
            {
                if (valid.Count == 0)
                {
                    return 0;
                }

                string dir = Path.GetDirectoryName(layout.Registry)!;
                Directory.CreateDirectory(dir);
                using var held = StateLock.Acquire(dir, log);
                return RegistryFile.Register(layout.Registry, valid, log);
            });
            return refused > 0 ? StateExitCodes.Usage : failures > 0 ? StateExitCodes.PathFailed : StateExitCodes.Success;
        });
        return command;
    }

    private static Command Verb(StateOptions options, string program, string name, string description, Func<StateLayout, ILog, IReadOnlyList<StatefulPath>, int> handle)
    {
        var command = new Command(name, description);
        command.SetAction(result =>
        {
            var log = options.Log(result, NameOf(program, name));
            var layout = options.Layout(result);
            return StateOptions.Guard(log, () =>
            {
                string dir = Path.GetDirectoryName(layout.Registry)!;
                if (!Path.Exists(layout.Registry))
                {
                    log.Debug($"no registry at {layout.Registry}: no stateful paths");
                    return StateExitCodes.Success;
                }

                using var held = StateLock.Acquire(dir, log);
                var registry = ReadRegistry(layout, log);
                int failures = handle(layout, log, registry.Paths) + registry.Problems.Count;
                return failures > 0 ? StateExitCodes.PathFailed : StateExitCodes.Success;
            });
        });
        return command;
    }

    private static Command List(StateOptions options, string program)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON (snake_case fields) instead of a table" };
        var command = new Command("list", "Show every registered path and its condition (seeded, pristine-only, missing; symlink)") { json };
        command.SetAction(result =>
        {
            var log = options.Log(result, NameOf(program, "list"));
            var layout = options.Layout(result);
            return StateOptions.Guard(log, () =>
            {
                var registry = ReadRegistry(layout, log);
                var listing = new StateLister(layout).List(registry.Paths);
                string text = result.GetValue(json)
                    ? JsonSerializer.Serialize(listing, StateJsonContext.Default.StateListing) + "\n"
                    : listing.ToText();
                using var stdout = Console.OpenStandardOutput();
                stdout.Write(Encoding.UTF8.GetBytes(text));
                return registry.Problems.Count > 0 ? StateExitCodes.PathFailed : StateExitCodes.Success;
            });
        });
        return command;
    }

    private static RegistryContents ReadRegistry(StateLayout layout, ILog log)
    {
        var registry = RegistryFile.Read(layout.Registry);
        foreach (string problem in registry.Problems)
        {
            log.Error($"{problem}; fix or remove that line (the other paths are handled)");
        }

        return registry;
    }

    private static string NameOf(string program, string verb) => program == "lockstep" ? $"state {verb}" : program;
}
