using System.CommandLine;
using Lockstep.Processes;
using Lockstep.Update;

namespace Lockstep.Cli.Commands;

/// <summary><c>lockstep update</c>: foreman_dlm_updater's lock-coordinated update workflow (SPEC.md section 4).</summary>
internal static class UpdateCommand
{
    public static Command Create()
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
                testClock = TestClock.FromEnvironment(Environment.GetEnvironmentVariable(TestClock.EnvironmentVariable));
            }
            catch (FormatException e)
            {
                return CliLog.Fail("update", e.Message, UpdateExitCodes.Usage);
            }

            var invocation = new UpdateInvocation(
                result.GetValue(config)!,
                new UpdateRequest(result.GetValue(afterReboot), result.GetValue(assumeRebooted)),
                CliLog.Create(result, logLevel, "update"),
                ProcessEnvironment.FromCurrentProcess())
            {
                Checkpoint = CrashPoint.FromEnvironment(Environment.GetEnvironmentVariable(CrashPoint.EnvironmentVariable)),
                Clock = testClock ?? TimeProvider.System,
                WaitUntil = testClock is null ? null : testClock.SkipTo,
            };
            if (result.GetValue(checkWindow))
            {
                return Updater.CheckWindow(invocation, Console.Out);
            }

            SignalForwarder.Install();
            ProcessTree.BecomeSubreaper();
            return await Updater.RunAsync(invocation, SignalForwarder.Stopping).ConfigureAwait(false);
        });
        return command;
    }
}
