using Lockstep.Locks;
using Lockstep.Tests.Support;
using Lockstep.Tests.Update;

namespace Lockstep.Tests.Engines;

/// <summary>
/// <c>lockstep update</c> end to end through the command line on one real lock engine. Each
/// engine's class says how to configure the host for it, how to reach the lock as another holder
/// and how to cut the host off; the scenarios are the same for every engine. Every script of the
/// host (and its reboot_cmd) records whether the host held the lock while it ran.
/// </summary>
public abstract class EngineUpdateScenarios : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> NeedsReboot = new() { ["REBOOT"] = "1" };
    private static readonly Dictionary<string, string?> UpdateFails = new() { ["FAIL_IN"] = "update" };
    private UpdateHost? _host;

    /// <summary>A group of its own per test: the engines are shared by the tests of a collection.</summary>
    protected string LockName { get; } = LockContexts.UniqueLockName("fleet");

    /// <summary>The backend lines that reach the running engine.</summary>
    protected abstract HostBackend Reachable { get; }

    private UpdateHost Host => _host ?? throw new InvalidOperationException("the host is not set up");

    public virtual Task InitializeAsync()
    {
        _host = new UpdateHost(backend: Reachable, lockName: LockName);
        return Task.CompletedTask;
    }

    public virtual Task DisposeAsync()
    {
        _host?.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_reboot_keeps_the_lock_until_post_update_has_run_after_the_boot_id_changed()
    {
        var rebooting = Host.Update(NeedsReboot);

        rebooting.ExitCode.ShouldBe(5, rebooting.ToString());
        Host.Ran.ShouldBe([Line("needs_update free"), Line("pre_update locked"), Line("update locked"), Line("needs_reboot locked"), "reboot --now locked"]);
        (await HoldersAsync()).ShouldBe([UpdateHost.Holder]);

        var notYet = Host.Update(null, "--after-reboot");
        notYet.ExitCode.ShouldBe(5, notYet.ToString());
        (await HoldersAsync()).ShouldBe([UpdateHost.Holder]);

        Host.Reboot();
        var afterReboot = Host.Update(null, "--after-reboot");

        afterReboot.ExitCode.ShouldBe(0, afterReboot.ToString());
        Host.Ran[5..].ShouldBe([Line("post_update locked")]);
        afterReboot.Stderr.ShouldContain($"update finished: lock '{LockName}' released, state cleared");
        (await HoldersAsync()).ShouldBeEmpty();
        Host.State.ShouldBeNull();
    }

    [Fact]
    public async Task A_failing_step_keeps_the_lock_and_the_next_run_finishes_and_releases_it()
    {
        var failed = Host.Update(UpdateFails);

        failed.ExitCode.ShouldBe(1, failed.ToString());
        (await HoldersAsync()).ShouldBe([UpdateHost.Holder]);
        Host.State.ShouldNotBeNull().ShouldContain("\"step\": \"update\"");

        var retried = Host.Update();

        retried.ExitCode.ShouldBe(0, retried.ToString());
        Host.Ran[3..].ShouldBe([Line("update locked"), Line("needs_reboot locked"), Line("post_update locked")]);
        (await HoldersAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_lock_held_by_another_holder_is_waited_for_and_the_update_goes_on_once_it_is_released()
    {
        var other = Backend("other");
        try
        {
            await other.AcquireAsync(LockName, "other", default);
            using var run = Host.Start();
            Eventually.WaitFor(() => File.Exists(Host.LogFile) && File.ReadAllText(Host.LogFile).Contains($"lock '{LockName}'", StringComparison.Ordinal)
                && File.ReadAllText(Host.LogFile).Contains("; trying again every ", StringComparison.Ordinal), "lockstep to wait for the other holder");
            Host.Ran.ShouldBe([Line("needs_update free")]);
            Host.State.ShouldNotBeNull().ShouldContain("\"step\": \"lock_get\"");

            await other.ReleaseAsync(LockName, "other", default);
            run.WaitForExit(TimeSpan.FromSeconds(30)).ShouldBeTrue();

            run.ExitCode.ShouldBe(0, run.StandardError.ReadToEnd());
            Host.Ran.ShouldBe([Line("needs_update free"), Line("pre_update locked"), Line("update locked"), Line("needs_reboot locked"), Line("post_update locked")]);
            (await HoldersAsync()).ShouldBeEmpty();
        }
        finally
        {
            await other.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_unreachable_engine_stops_the_run_keeping_the_state_and_the_next_run_continues_from_it()
    {
        await CutOffAsync();
        var atLockGet = Host.Update(UpdateFails);
        atLockGet.ExitCode.ShouldBe(4, atLockGet.ToString());
        atLockGet.Stderr.ShouldContain("the state is kept (lock_get) and the next run tries again");
        Host.State.ShouldNotBeNull().ShouldContain("\"step\": \"lock_get\"");
        await RestoreAsync();

        Host.Update(UpdateFails).ExitCode.ShouldBe(1);
        Host.Ran.ShouldBe([Line("needs_update free"), Line("pre_update locked"), Line("update locked")]);
        await CutOffAsync();
        var atUpdate = Host.Update();
        atUpdate.ExitCode.ShouldBe(4, atUpdate.ToString());
        atUpdate.Stderr.ShouldContain("the state is kept (update) and the next run tries again");
        Host.State.ShouldNotBeNull().ShouldContain("\"step\": \"update\"");
        Host.Ran.Length.ShouldBe(3);
        await RestoreAsync();

        var finished = Host.Update();

        finished.ExitCode.ShouldBe(0, finished.ToString());
        Host.Ran[3..].ShouldBe([Line("update locked"), Line("needs_reboot locked"), Line("post_update locked")]);
        (await HoldersAsync()).ShouldBeEmpty();
    }

    /// <summary>The engine's backend class for <paramref name="holderId"/>, configured as the host is.</summary>
    protected ILockBackend Backend(string holderId) =>
        LockContexts.Backend($"[main]\n{Reachable.Main}\nlock_name = {LockName}\n{Reachable.Section}\n", holderId);

    /// <summary>Who holds the host's lock now, as the engine says.</summary>
    protected virtual async Task<IReadOnlyList<string>> HoldersAsync()
    {
        var observer = Backend("observer");
        try
        {
            return [.. (await observer.InspectAsync(LockName, "observer", default)).Holders.Select(h => h.Id)];
        }
        finally
        {
            await observer.DisposeAsync();
        }
    }

    /// <summary>Makes the engine unreachable for the host.</summary>
    protected abstract Task CutOffAsync();

    /// <summary>Makes the engine reachable again, with what it held before.</summary>
    protected virtual Task RestoreAsync()
    {
        PointHostAt(Reachable);
        return Task.CompletedTask;
    }

    /// <summary>Runs <c>lockstep update</c> on the host, with <paramref name="environment"/> steering its scripts.</summary>
    protected CliResult RunUpdate(Dictionary<string, string?>? environment = null) => Host.Update(environment);

    /// <summary>The host's state file, or null when there is none.</summary>
    protected string? HostState => Host.State;

    /// <summary>What the host's scripts recorded, in order.</summary>
    protected IReadOnlyList<string> HostRan => Host.Ran;

    /// <summary>Rewrites the host's config for <paramref name="backend"/>.</summary>
    protected void PointHostAt(HostBackend backend) => Host.WriteConfig(backend);

    protected string Line(string stepAndLock) => $"{stepAndLock} {LockName}";
}
