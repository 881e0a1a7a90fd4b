using System.CommandLine;
using Lockstep.Serve;

namespace Lockstep.Cli.Commands;

/// <summary><c>lockstep serve</c>: a FleetLock server; the server itself lives in Lockstep.Core/Serve.</summary>
internal static class ServeCommand
{
    public static Command Create(CommandHost host)
    {
        var config = new Option<string>("--config")
        {
            Description = "The server's configuration: [serve], [group NAME] sections and the store's section",
            HelpName = "FILE",
            DefaultValueFactory = _ => ServeConfigFile.DefaultPath,
        };
        var logLevel = CliLog.CreateOption();
        var command = new Command("serve", "Serve the FleetLock protocol (zincati, airlock's clients, Lockstep's fleetlock backend) on etcd, PostgreSQL or a local file")
        {
            config,
            logLevel,
        };
        command.SetAction((result, _) =>
            ServeHost.RunAsync(result.GetValue(config)!, host.Log(result, logLevel, "serve"), host.Clock));
        return command;
    }
}
