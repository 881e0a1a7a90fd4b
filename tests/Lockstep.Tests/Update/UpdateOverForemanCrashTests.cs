using Lockstep.Tests.Support;

namespace Lockstep.Tests.Update;

/// <summary>
/// The crash drill (<see cref="CrashDrill"/>) with the lock on a Foreman DLM server: the server's
/// lock must be held from lock_get to the release across the crash, never released before
/// post_update completed, and released exactly once.
/// </summary>
internal sealed class ForemanCrashDrillHost : ICrashDrillHost, IDisposable
{
    private const string Host = ForemanUpdateHost.Host;

    /// <summary>Points at which the server has released the lock already (nothing else crashes outside the lock here).</summary>
    private static readonly string[] Unlocked = ["after:needs_update", "after:lock_release"];

    private readonly ForemanUpdateHost _host = new();

    public IReadOnlyList<string> NormalRun { get; } = ["needs_update", "pre_update", "update", "needs_reboot", "reboot", "post_update"];

    public static void Run(string point)
    {
        using var host = new ForemanCrashDrillHost();
        CrashDrill.Run(point, host);
    }

    public CliResult RunOnce(Dictionary<string, string?> environment, string[] args) =>
        CrashDrill.RunUntilHeld(_host.Start(environment, args), _host.Dir);

    public string Describe(CliResult result) => $"{result}\n--- server: {string.Join(' ', _host.Calls)}";

    public void AfterCrash(string point, string story)
    {
        bool releasedBeforeCrash = point == "after:lock_release";
        _host.Holder.ShouldBe(Unlocked.Contains(point) ? null : Host, $"the server's lock after a crash at {point}\n{story}");
        _host.Calls.Count(c => c == "DELETE").ShouldBe(releasedBeforeCrash ? 1 : 0, story);
        if (releasedBeforeCrash)
        {
            // Another host takes the lock we gave back: the rerun must not release it.
            _host.Server.SetHolder(ForemanUpdateHost.LockName, ForemanUpdateHost.Other);
        }
    }

    public void Reboot(string bootId, string story)
    {
        _host.Holder.ShouldBe(Host, story);
        _host.Calls.ShouldNotContain("DELETE", story);
        _host.Reboot(bootId);
    }

    public void Finished(string point, IReadOnlyList<string> expected, string story)
    {
        _host.State.ShouldBeNull(story);
        _host.Steps.ShouldBe(expected, story);
        if (point == "after:lock_release")
        {
            // The rerun's DELETE was refused (412), and its GET showed the other holder: nothing released twice.
            _host.Calls[^2..].ShouldBe(["DELETE", "GET"], story);
            _host.Holder.ShouldBe(ForemanUpdateHost.Other, story);
        }
        else
        {
            _host.Calls[^1].ShouldBe("DELETE", story);
            _host.Calls.Count(c => c == "DELETE").ShouldBe(1, story);
            _host.Holder.ShouldBeNull(story);
        }
    }

    public void Dispose() => _host.Dispose();
}

public sealed class UpdateOverForemanCrashBeforeTheRebootTests
{
    [Theory]
    [InlineData("after:needs_update")]
    [InlineData("after:lock_get")]
    [InlineData("hold:pre_update")]
    [InlineData("after:update")]
    [InlineData("reboot-recorded")]
    public void Kill_9_here_then_the_next_runs_finish_with_the_servers_lock_released_exactly_once(string point) => ForemanCrashDrillHost.Run(point);
}

public sealed class UpdateOverForemanCrashAfterTheRebootTests
{
    [Theory]
    [InlineData("before:post_update")]
    [InlineData("hold:post_update")]
    [InlineData("after:post_update")]
    [InlineData("before:lock_release")]
    [InlineData("after:lock_release")]
    public void Kill_9_here_then_the_next_runs_finish_with_the_servers_lock_released_exactly_once(string point) => ForemanCrashDrillHost.Run(point);
}
