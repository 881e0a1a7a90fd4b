using Lockstep.Tests.Support;

namespace Lockstep.Tests.Update;

/// <summary>
/// kill -9 of lockstep at one point of an update that needs a reboot, with the lock on a Foreman DLM
/// server, then runs as systemd would make them (a plain run after the crash; a reboot and
/// --after-reboot when lockstep waits for one). The server's lock must be held from lock_get to the
/// release across the crash, never released before post_update completed, and released exactly once.
/// Points: a crash point of LOCKSTEP_CRASH_AT, or "hold:STEP" for inside STEP's script.
/// </summary>
internal static class ForemanCrashDrill
{
    private const int KilledStatus = 128 + 9;
    private const string Host = ForemanUpdateHost.Host;

    private static readonly string[] Normal = ["needs_update", "pre_update", "update", "needs_reboot", "reboot", "post_update"];

    /// <summary>Points at which the server has released the lock already (nothing else crashes outside the lock here).</summary>
    private static readonly string[] Unlocked = ["after:needs_update", "after:lock_release"];

    public static void Run(string point)
    {
        using var host = new ForemanUpdateHost();
        var crashEnvironment = CrashDrill.CrashEnvironment(point);

        bool releasedBeforeCrash = point == "after:lock_release";
        bool crashed = false;
        string[] args = [];
        var history = new List<string>();
        for (int run = 0; run < 8; run++)
        {
            var result = RunOnce(host, crashed ? new() { ["REBOOT"] = "1" } : crashEnvironment, args);
            history.Add($"{result}\n--- server: {string.Join(' ', host.Calls)}");
            string story = string.Join("\n=====\n", history);
            if (result.ExitCode == KilledStatus)
            {
                crashed.ShouldBeFalse(story);
                crashed = true;
                host.Holder.ShouldBe(Unlocked.Contains(point) ? null : Host, $"the server's lock after a crash at {point}\n{story}");
                host.Calls.Count(c => c == "DELETE").ShouldBe(releasedBeforeCrash ? 1 : 0, story);
                if (releasedBeforeCrash)
                {
                    // Another host takes the lock we gave back: the rerun must not release it.
                    host.Server.SetHolder(ForemanUpdateHost.LockName, ForemanUpdateHost.Other);
                }

                args = [];
                continue;
            }

            if (result.ExitCode == 5)
            {
                host.Holder.ShouldBe(Host, story);
                host.Calls.ShouldNotContain("DELETE", story);
                host.Reboot($"boot-{run + 2}");
                args = ["--after-reboot"];
                continue;
            }

            result.ExitCode.ShouldBe(0, story);
            crashed.ShouldBeTrue($"lockstep never reached {point}\n{story}");
            host.State.ShouldBeNull(story);
            host.Steps.ShouldBe(Expected(point), story);
            if (releasedBeforeCrash)
            {
                // The rerun's DELETE was refused (412), and its GET showed the other holder: nothing released twice.
                host.Calls[^2..].ShouldBe(["DELETE", "GET"], story);
                host.Holder.ShouldBe(ForemanUpdateHost.Other, story);
            }
            else
            {
                host.Calls[^1].ShouldBe("DELETE", story);
                host.Calls.Count(c => c == "DELETE").ShouldBe(1, story);
                host.Holder.ShouldBeNull(story);
            }
            return;
        }

        throw new InvalidOperationException($"the update did not finish after a crash at {point}:\n{string.Join("\n=====\n", history)}");
    }

    /// <summary>The normal steps, with the step that was cut short after it ran (or inside it) run once more.</summary>
    private static string[] Expected(string point)
    {
        string step = point.Split(':', 2)[^1];
        bool rerun = point.StartsWith("after:", StringComparison.Ordinal) || point.StartsWith("hold:", StringComparison.Ordinal);
        return [.. Normal.SelectMany(s => rerun && s == step ? new[] { s, s } : [s])];
    }

    /// <summary>Runs lockstep; when a script signals it is holding, kills lockstep with SIGKILL (and the held script, as systemd would).</summary>
    private static CliResult RunOnce(ForemanUpdateHost host, Dictionary<string, string?> environment, string[] args)
    {
        using var run = host.Start(environment, args);
        Eventually.WaitFor(() => run.HasExited || File.Exists(host.Dir["held.pid"]), "lockstep to finish or a script to hold");
        if (run.HasExited)
        {
            return run.Finish();
        }

        run.Kill();
        host.KillHeldScript();
        return run.Finish();
    }
}

public sealed class UpdateOverForemanCrashBeforeTheRebootTests
{
    [Theory]
    [InlineData("after:needs_update")]
    [InlineData("after:lock_get")]
    [InlineData("hold:pre_update")]
    [InlineData("after:update")]
    [InlineData("reboot-recorded")]
    public void Kill_9_here_then_the_next_runs_finish_with_the_servers_lock_released_exactly_once(string point) => ForemanCrashDrill.Run(point);
}

public sealed class UpdateOverForemanCrashAfterTheRebootTests
{
    [Theory]
    [InlineData("before:post_update")]
    [InlineData("hold:post_update")]
    [InlineData("after:post_update")]
    [InlineData("before:lock_release")]
    [InlineData("after:lock_release")]
    public void Kill_9_here_then_the_next_runs_finish_with_the_servers_lock_released_exactly_once(string point) => ForemanCrashDrill.Run(point);
}
