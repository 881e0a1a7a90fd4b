using Lockstep.Tests.Support;

namespace Lockstep.Tests.Update;

/// <summary>
/// Kills lockstep with SIGKILL at one point of an update that needs a reboot, then drives the host to
/// the end as systemd would (a plain run after the crash; a reboot and --after-reboot when lockstep
/// waits for one) and checks that the lock was held exactly while it should be, that no completed
/// step ran twice, and that everything finished. Points: a crash point of LOCKSTEP_CRASH_AT, or
/// "hold:STEP" for inside STEP's script.
/// </summary>
internal static class CrashDrill
{
    private const int KilledStatus = 128 + 9;

    private static readonly string[] Normal =
    [
        "needs_update free fleet", "pre_update locked fleet", "update locked fleet", "needs_reboot locked fleet", "reboot --now locked", "post_update locked fleet",
    ];

    /// <summary>Points at which the lock is ours: from acquired to released.</summary>
    private static readonly string[] Locked =
    [
        "after:lock_get", "before:pre_update", "after:pre_update", "before:update", "after:update", "before:needs_reboot", "after:needs_reboot",
        "before:reboot", "reboot-recorded", "before:post_update", "after:post_update", "before:lock_release",
        "hold:pre_update", "hold:update", "hold:needs_reboot", "hold:post_update",
    ];

    public static void Run(string point)
    {
        using var host = new UpdateHost();
        var crashEnvironment = CrashEnvironment(point);

        bool crashed = false;
        string[] args = [];
        var results = new List<CliResult>();
        for (int run = 0; run < 8; run++)
        {
            var result = RunOnce(host, crashed ? new() { ["REBOOT"] = "1" } : crashEnvironment, args);
            results.Add(result);
            string history = string.Join("\n=====\n", results);
            if (result.ExitCode == KilledStatus)
            {
                crashed.ShouldBeFalse(history);
                crashed = true;
                host.LockHolder.ShouldBe(Locked.Contains(point) ? UpdateHost.Holder : null, $"lock after a crash at {point}\n{history}");
                if (point == "after:lock_release")
                {
                    // Another host takes the lock we gave back: the rerun must not release it.
                    host.WriteLockFile("db-2");
                }

                args = [];
                continue;
            }

            if (result.ExitCode == 5)
            {
                host.Reboot($"boot-{run + 2}");
                args = ["--after-reboot"];
                continue;
            }

            result.ExitCode.ShouldBe(0, history);
            crashed.ShouldBeTrue($"lockstep never reached {point}\n{history}");
            host.State.ShouldBeNull(history);
            host.LockHolder.ShouldBe(point == "after:lock_release" ? "db-2" : null, history);
            host.Ran.ShouldBe(Expected(point), history);
            return;
        }

        throw new InvalidOperationException($"the update did not finish after a crash at {point}:\n{string.Join("\n=====\n", results)}");
    }

    /// <summary>The environment of the run to crash: a reboot needed, and the crash point or the step whose script holds.</summary>
    internal static Dictionary<string, string?> CrashEnvironment(string point)
    {
        var environment = new Dictionary<string, string?> { ["REBOOT"] = "1" };
        if (point.StartsWith("hold:", StringComparison.Ordinal))
        {
            environment["HOLD_IN"] = point["hold:".Length..];
        }
        else
        {
            environment["LOCKSTEP_CRASH_AT"] = point;
        }

        return environment;
    }

    /// <summary>The normal sequence, with the step that was cut short after it ran (or inside it) run once more.</summary>
    private static string[] Expected(string point)
    {
        string step = point.Split(':', 2)[^1];
        bool rerun = point.StartsWith("after:", StringComparison.Ordinal) || point.StartsWith("hold:", StringComparison.Ordinal);
        var expected = new List<string>();
        foreach (string line in Normal)
        {
            expected.Add(line);
            if (rerun && line.StartsWith(step + " ", StringComparison.Ordinal))
            {
                expected.Add(line);
            }
        }

        return [.. expected];
    }

    /// <summary>Runs lockstep; when a script signals it is holding, kills lockstep with SIGKILL (and the held script, as systemd would).</summary>
    private static CliResult RunOnce(UpdateHost host, Dictionary<string, string?> environment, string[] args)
    {
        using var process = host.Start(environment, args);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Eventually.WaitFor(() => process.HasExited || File.Exists(host.Dir["held.pid"]), "lockstep to finish or a script to hold");
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
            UpdateCommandTests.KillHeldScript(host);
        }

        process.WaitForExit();
        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}

public sealed class CrashBeforeTheLockTests
{
    [Theory]
    [InlineData("before:needs_update")]
    [InlineData("hold:needs_update")]
    [InlineData("after:needs_update")]
    [InlineData("before:lock_get")]
    [InlineData("after:lock_get")]
    [InlineData("before:pre_update")]
    [InlineData("hold:pre_update")]
    public void Kill_9_here_then_a_new_run_finishes_correctly(string point) => CrashDrill.Run(point);
}

public sealed class CrashUnderTheLockTests
{
    [Theory]
    [InlineData("after:pre_update")]
    [InlineData("before:update")]
    [InlineData("hold:update")]
    [InlineData("after:update")]
    [InlineData("before:needs_reboot")]
    [InlineData("hold:needs_reboot")]
    [InlineData("after:needs_reboot")]
    public void Kill_9_here_then_a_new_run_finishes_correctly(string point) => CrashDrill.Run(point);
}

public sealed class CrashAroundTheRebootTests
{
    [Theory]
    [InlineData("before:reboot")]
    [InlineData("reboot-recorded")]
    [InlineData("before:post_update")]
    [InlineData("hold:post_update")]
    [InlineData("after:post_update")]
    [InlineData("before:lock_release")]
    [InlineData("after:lock_release")]
    public void Kill_9_here_then_a_new_run_finishes_correctly(string point) => CrashDrill.Run(point);
}
