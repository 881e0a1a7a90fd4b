using Lockstep.Tests.Support;

namespace Lockstep.Tests.Update;

/// <summary>
/// A host an update runs on for <see cref="CrashDrill"/>: it runs lockstep (killing it, and the
/// script, when a script holds) and checks the lock at each turn of the story.
/// </summary>
internal interface ICrashDrillHost
{
    /// <summary>The steps of an update that needs a reboot, one line each as the host records them ("STEP ...").</summary>
    IReadOnlyList<string> NormalRun { get; }

    /// <summary>Runs lockstep once; when a script signals it is holding, kills lockstep with SIGKILL (and the held script, as systemd would).</summary>
    CliResult RunOnce(Dictionary<string, string?> environment, string[] args);

    /// <summary>The run's output with whatever else the story needs (the server's calls).</summary>
    string Describe(CliResult result);

    /// <summary>Checks the lock right after the crash at <paramref name="point"/>, and lets another host take one given back.</summary>
    void AfterCrash(string point, string story);

    /// <summary>Checks the lock while lockstep waits for the reboot, then reboots (a new boot id).</summary>
    void Reboot(string bootId, string story);

    /// <summary>Checks the end: the lock released exactly once (or left to the other host), and <paramref name="expected"/> ran.</summary>
    void Finished(string point, IReadOnlyList<string> expected, string story);
}

/// <summary>
/// Kills lockstep with SIGKILL at one point of an update that needs a reboot, then drives the host to
/// the end as systemd would (a plain run after the crash; a reboot and --after-reboot when lockstep
/// waits for one) and lets the host check that the lock was held exactly while it should be, that
/// no completed step ran twice, and that everything finished. Points: a crash point of
/// LOCKSTEP_CRASH_AT, or "hold:STEP" for inside STEP's script.
/// </summary>
internal static class CrashDrill
{
    private const int KilledStatus = 128 + 9;

    public static void Run(string point, ICrashDrillHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var crashEnvironment = CrashEnvironment(point);
        bool crashed = false;
        string[] args = [];
        var history = new List<string>();
        for (int run = 0; run < 8; run++)
        {
            var result = host.RunOnce(crashed ? new() { ["REBOOT"] = "1" } : crashEnvironment, args);
            history.Add(host.Describe(result));
            string story = string.Join("\n=====\n", history);
            if (result.ExitCode == KilledStatus)
            {
                crashed.ShouldBeFalse(story);
                crashed = true;
                host.AfterCrash(point, story);
                args = [];
                continue;
            }

            if (result.ExitCode == 5)
            {
                host.Reboot($"boot-{run + 2}", story);
                args = ["--after-reboot"];
                continue;
            }

            result.ExitCode.ShouldBe(0, story);
            crashed.ShouldBeTrue($"lockstep never reached {point}\n{story}");
            host.Finished(point, Expected(point, host.NormalRun), story);
            return;
        }

        throw new InvalidOperationException($"the update did not finish after a crash at {point}:\n{string.Join("\n=====\n", history)}");
    }

    /// <summary>Runs lockstep to its end; when a script signals it is holding, kills lockstep with SIGKILL (and the held script, as systemd would).</summary>
    public static CliResult RunUntilHeld(RunningUpdate run, TempDir dir)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(dir);
        using (run)
        {
            Eventually.WaitFor(() => run.HasExited || File.Exists(dir["held.pid"]), "lockstep to finish or a script to hold");
            if (!run.HasExited)
            {
                run.Kill();
                UpdateHost.KillHeldScript(dir);
            }

            return run.Finish();
        }
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

    /// <summary>The normal run, with the step that was cut short after it ran (or inside it) run once more.</summary>
    private static string[] Expected(string point, IReadOnlyList<string> normal)
    {
        string step = point.Split(':', 2)[^1];
        bool rerun = point.StartsWith("after:", StringComparison.Ordinal) || point.StartsWith("hold:", StringComparison.Ordinal);
        return [.. normal.SelectMany(line => rerun && line.Split(' ')[0] == step ? new[] { line, line } : [line])];
    }
}

/// <summary>The crash drill on a host whose lock is a local lock file.</summary>
internal sealed class LocalCrashDrillHost : ICrashDrillHost, IDisposable
{
    /// <summary>Points at which the lock is ours: from acquired to released.</summary>
    private static readonly string[] Locked =
    [
        "after:lock_get", "before:pre_update", "after:pre_update", "before:update", "after:update", "before:needs_reboot", "after:needs_reboot",
        "before:reboot", "reboot-recorded", "before:post_update", "after:post_update", "before:lock_release",
        "hold:pre_update", "hold:update", "hold:needs_reboot", "hold:post_update",
    ];

    private readonly UpdateHost _host = new();

    public IReadOnlyList<string> NormalRun { get; } =
    [
        "needs_update free fleet", "pre_update locked fleet", "update locked fleet", "needs_reboot locked fleet", "reboot --now locked", "post_update locked fleet",
    ];

    public static void Run(string point)
    {
        using var host = new LocalCrashDrillHost();
        CrashDrill.Run(point, host);
    }

    public CliResult RunOnce(Dictionary<string, string?> environment, string[] args) =>
        CrashDrill.RunUntilHeld(new RunningUpdate(_host.Start(environment, args)), _host.Dir);

    public string Describe(CliResult result) => result.ToString();

    public void AfterCrash(string point, string story)
    {
        _host.LockHolder.ShouldBe(Locked.Contains(point) ? UpdateHost.Holder : null, $"lock after a crash at {point}\n{story}");
        if (point == "after:lock_release")
        {
            // Another host takes the lock we gave back: the rerun must not release it.
            _host.WriteLockFile("db-2");
        }
    }

    public void Reboot(string bootId, string story) => _host.Reboot(bootId);

    public void Finished(string point, IReadOnlyList<string> expected, string story)
    {
        _host.State.ShouldBeNull(story);
        _host.LockHolder.ShouldBe(point == "after:lock_release" ? "db-2" : null, story);
        _host.Ran.ShouldBe(expected, story);
    }

    public void Dispose() => _host.Dispose();
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
    public void Kill_9_here_then_a_new_run_finishes_correctly(string point) => LocalCrashDrillHost.Run(point);
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
    public void Kill_9_here_then_a_new_run_finishes_correctly(string point) => LocalCrashDrillHost.Run(point);
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
    public void Kill_9_here_then_a_new_run_finishes_correctly(string point) => LocalCrashDrillHost.Run(point);
}
