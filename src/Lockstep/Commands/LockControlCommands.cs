using System.CommandLine;
using System.Globalization;
using Lockstep.Config;
using Lockstep.Fleet;
using Lockstep.Fleet.Control;
using Lockstep.Locks.Operator;
using Lockstep.Logging;

namespace Lockstep.Cli.Commands;

/// <summary><c>lockstep lock release [--holder ID --reason TEXT]</c> and <c>lockstep lock slots N</c>: the operator's controls of the lock.</summary>
internal static class LockControlCommands
{
    public static Command Release(CommandHost host)
    {
        var holder = new Option<string>("--holder") { Description = "Free the slot of this host id instead (a dead host's); needs --reason", HelpName = "ID" };
        var reason = new Option<string>("--reason") { Description = "Why another host's slot is freed (recorded with its report)", HelpName = "TEXT" };
        return FleetCommand.Subcommand(host, "lock", "release", "Give the lock back (nothing to do when this host does not hold it), or free another host's slot with --holder", [holder, reason],
            async (fleet, result, log, ct) =>
            {
                if (result.GetValue(holder) is not { } id)
                {
                    if (result.GetValue(reason) is not null)
                    {
                        throw new ConfigException("--reason goes with --holder ID; this host's own release needs none");
                    }

                    // Not disposed here: the backend is the fleet context's.
                    var own = new LockOperator(fleet.Backend, fleet.BackendName, fleet.LockName, fleet.HolderId, fleet.Config.Path);
                    Console.Out.WriteLine(await own.ReleaseAsync(ct).ConfigureAwait(false));
                    return LockExitStatus.Ok;
                }

                if (HolderRelease.Problem(id) is { } problem)
                {
                    throw new ConfigException($"--holder: {problem} cannot hold a slot; give the id lockstep fleet status shows");
                }

                string why = FleetCommand.OneLine(result.GetValue(reason) ?? "");
                if (why.Length == 0)
                {
                    throw new ConfigException("--holder needs --reason TEXT: freeing another host's slot is recorded with who, when and why");
                }

                try
                {
                    Console.Out.WriteLine(await HolderRelease.ReleaseAsync(fleet, id, why, FleetContext.Operator(), log, ct).ConfigureAwait(false));
                    return LockExitStatus.Ok;
                }
                catch (NotHeldException e)
                {
                    log.Error(e.Message);
                    return FleetExitStatus.NotHeld;
                }
            });
    }

    public static Command Slots(CommandHost host)
    {
        var count = new Argument<int>("N")
        {
            Description = "The number of hosts that may hold the lock at once (1 or more)",
            CustomParser = r =>
            {
                string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
                if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n) && n > 0)
                {
                    return n;
                }

                r.AddError($"N is the number of slots (1 or more), not '{text}'; lockstep fleet pause stops new hosts for a while");
                return 0;
            },
        };
        var command = FleetCommand.Subcommand(host, "lock", "slots", "Change how many hosts may hold the lock at once (compare-and-swap; holders keep their slots)", [],
            async (fleet, result, log, ct) =>
            {
                var change = await LockSlots.SetAsync(fleet.Config, fleet.BackendName, fleet.LockName, result.GetValue<int>("N"), fleet.Timeout, log, fleet.Clock, ct)
                    .ConfigureAwait(false);
                string holders = change.Holders.Count == 0 ? "none" : string.Join(", ", change.Holders);
                Console.Out.WriteLine($"lock {fleet.LockName} on {fleet.Backend.Describe}: slots {change.Before} -> {change.After} (holders: {holders})");
                if (change.Holders.Count > change.After)
                {
                    log.Warn($"{change.Holders.Count} hosts hold slots, more than {change.After}: they keep them, and no host gets one until fewer than {change.After} remain");
                }

                return LockExitStatus.Ok;
            });
        command.Arguments.Add(count);
        return command;
    }
}
