using System.CommandLine;
using Lockstep.Update;

namespace Lockstep.Cli.Commands;

/// <summary><c>lockstep update</c>: foreman_dlm_updater's lock-coordinated update workflow (README "lockstep update").</summary>
internal static class UpdateCommand
{
    public static Command Create(CommandHost host)
    {
        var config = new Option<string>("--config", "--cfg")
        {
            Description = $"The configuration file ([main] of foreman_dlm_updater's config.ini is read as it is); default {UpdateOptions.DefaultConfigPath}",
            HelpName = "FILE",
            DefaultValueFactory = _ => UpdateOptions.DefaultConfigPath,
        };
        var afterReboot = new Option<bool>("--after-reboot", "--after_reboot")
        {
            Description = "Run at boot: continue only if the update is at post_update (after its reboot); otherwise do nothing, silently",
        };
        var assumeRebooted = new Option<bool>("--assume-rebooted")
        {
            Description = "Run post_update although the boot id shows no reboot since reboot_cmd ran (the operator rebooted another way)",
        };
        var checkWindow = new Option<bool>("--check-window")
        {
            Description = "Only say whether a maintenance window is open now and when the next opens (exit 0: the lock may be taken now, 6: not); runs nothing",
        };
        var logLevel = CliLog.CreateOption();
        var command = new Command("update", "Update this host under a fleet-wide lock: check, lock, pre_update, update, reboot if needed, post_update, release")
        {
            config, afterReboot, assumeRebooted, checkWindow, logLevel,
        };

        command.SetAction(async (result, _) =>
        {
            TestClock? testClock;
            try
            {
                testClock = TestClock.FromEnvironment(host.Variable(TestClock.EnvironmentVariable));
            }
            catch (FormatException e)
            {
                return CliLog.Fail("update", e.Message, UpdateExitCodes.Usage);
            }

            var invocation = new UpdateInvocation(
                result.GetValue(config)!,
                new UpdateRequest(result.GetValue(afterReboot), result.GetValue(assumeRebooted)),
                host.Log(result, logLevel, "update"),
                host.Environment,
                host.Stop)
            {
                Runner = host.Runner,
                Clock = testClock ?? host.Clock,
                Checkpoint = CrashPoint.FromEnvironment(host.Variable(CrashPoint.EnvironmentVariable)),
                WaitUntil = testClock is null ? null : testClock.SkipTo,
            };
            if (result.GetValue(checkWindow))
            {
                return Updater.CheckWindow(invocation, Console.Out);
            }

            host.PrepareToRunScripts();
            return await Updater.RunAsync(invocation, host.Stop.Token).ConfigureAwait(false);
        });
        return command;
    }
}
