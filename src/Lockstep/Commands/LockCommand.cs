using System.CommandLine;
using Lockstep.Config;
using Lockstep.Locks;
using Lockstep.Locks.Operator;
using Lockstep.Logging;

namespace Lockstep.Cli.Commands;

/// <summary><c>lockstep lock status|acquire|release</c>: the update's lock backend by hand, for operators.</summary>
internal static class LockCommand
{
    public const string DefaultConfig = "/etc/lockstep/update.ini";

    public static Command Create(CommandHost host) => new("lock", "See, take or give back the fleet-wide lock of the update configuration, by hand")
    {
        Subcommand(host, "status", "Show the lock, its holders (marking this host), slots and whether it is enabled", json: true,
            async (locks, json, ct) =>
            {
                var report = await locks.StatusAsync(ct).ConfigureAwait(false);
                Console.Out.Write(json ? report.ToJson() : report.ToText());
            }),
        Subcommand(host, "acquire", "Take the lock for this host, trying once; fails naming the holder when another host has it", json: false,
            async (locks, _, ct) => Console.Out.WriteLine(await locks.AcquireAsync(ct).ConfigureAwait(false))),
        LockControlCommands.Release(host),
        LockControlCommands.Slots(host),
    };

    private static Command Subcommand(CommandHost host, string name, string description, bool json, Func<LockOperator, bool, CancellationToken, Task> run)
    {
        var config = FleetCommand.ConfigOption();
        var jsonOption = new Option<bool>("--json") { Description = "Print the status as one JSON object" };
        var logLevel = CliLog.CreateOption();
        var command = new Command(name, description) { config, logLevel };
        if (json)
        {
            command.Options.Add(jsonOption);
        }

        command.SetAction(async (result, ct) =>
        {
            var log = host.Log(result, logLevel, $"lock {name}");
            return await FleetCommand.Guarded(log, async () =>
            {
                var ini = IniFile.Load(result.GetValue(config)!);
                await using var locks = LockOperator.FromConfig(ini, log, host.Clock);
                await run(locks, json && result.GetValue(jsonOption), ct).ConfigureAwait(false);
                return LockExitStatus.Ok;
            }).ConfigureAwait(false);
        });
        return command;
    }
}
