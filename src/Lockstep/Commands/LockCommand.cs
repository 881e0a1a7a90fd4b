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

    public static Command Create() => new("lock", "See, take or give back the fleet-wide lock of the update configuration, by hand")
    {
        Subcommand("status", "Show the lock, its holders (marking this host), slots and whether it is enabled", json: true,
            async (locks, json, ct) =>
            {
                var report = await locks.StatusAsync(ct).ConfigureAwait(false);
                Console.Out.Write(json ? report.ToJson() : report.ToText());
            }),
        Subcommand("acquire", "Take the lock for this host, trying once; fails naming the holder when another host has it", json: false,
            async (locks, _, ct) => Console.Out.WriteLine(await locks.AcquireAsync(ct).ConfigureAwait(false))),
        LockControlCommands.Release(),
        LockControlCommands.Slots(),
    };

    private static Command Subcommand(string name, string description, bool json, Func<LockOperator, bool, CancellationToken, Task> run)
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
            var log = CliLog.Create(result, logLevel, $"lock {name}");
            return await FleetCommand.Guarded(log, async () =>
            {
                var ini = IniFile.Load(result.GetValue(config)!);
                using var locks = LockOperator.FromConfig(ini, log, TimeProvider.System);
                await run(locks, json && result.GetValue(jsonOption), ct).ConfigureAwait(false);
                return LockExitStatus.Ok;
            }).ConfigureAwait(false);
        });
        return command;
    }
}
