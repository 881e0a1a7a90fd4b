using Lockstep.Tests.Support;
namespace Lockstep.Tests.Update;

/// <summary>
/// The Foreman DLM server's 412s through the command line: a lock held by another host is waited
/// for (lock_retry_interval = 0.2 s); a disabled lock or a host not allowed stops the run at once.
/// </summary>
public sealed class UpdateOverForemanLockTests : IDisposable
{
    private const string Other = ForemanUpdateHost.Other;
    private const string LockName = ForemanUpdateHost.LockName;
    private readonly ForemanUpdateHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public void A_lock_held_by_another_host_is_waited_for_and_taken_once_that_host_releases_it()
    {
        _host.Server.SetHolder(LockName, Other);

        using var run = _host.Start();
        _host.WaitForLog($"is held by {Other}");
        _host.State.ShouldNotBeNull().ShouldContain("\"step\": \"lock_get\"");
        _host.Steps.ShouldBe(["needs_update"]);
        Eventually.WaitFor(() => _host.Calls.Count(c => c == "PUT") >= 3, "lockstep to try again");
        _host.Holder.ShouldBe(Other);
        _host.Server.SetHolder(LockName, null);
        var result = run.Finish();

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stderr.ShouldContain($"lock '{LockName}' acquired after waiting");
        _host.Steps.ShouldBe(["needs_update", "pre_update", "update", "needs_reboot", "post_update"]);
        _host.Holder.ShouldBeNull();
        string[] calls = _host.Calls;
        calls[^2..].ShouldBe(["PUT", "DELETE"]);
        calls[..^2].ShouldAllBe(c => c == "PUT" || c == "GET");
        calls.Count(c => c == "DELETE").ShouldBe(1);
    }

    [Fact]
    public void Waiting_gives_up_at_lock_wait_timeout_with_status_4_and_the_next_run_resumes_at_lock_get()
    {
        using var host = new ForemanUpdateHost();
        host.SetMain("lock_wait_timeout", "0.5");
        host.Server.SetHolder(LockName, Other);

        var gaveUp = host.Update();

        gaveUp.ExitCode.ShouldBe(4, gaveUp.ToString());
        // The seconds waited depend on how long the calls took: not asserted.
        gaveUp.Stderr.ShouldContain($"ERROR: gave up waiting for lock '{LockName}' (Foreman DLM at {host.Server.Url}) after ");
        gaveUp.Stderr.ShouldContain($" s (lock_wait_timeout): it is held by {Other}; the state is kept (lock_get)");
        host.State.ShouldNotBeNull().ShouldContain("\"step\": \"lock_get\"");
        host.Holder.ShouldBe(Other);
        host.Calls.ShouldNotContain("DELETE");

        host.Server.SetHolder(LockName, null);
        var resumed = host.Update();

        resumed.ExitCode.ShouldBe(0, resumed.ToString());
        host.Steps.ShouldBe(["needs_update", "pre_update", "update", "needs_reboot", "post_update"]);
        host.Holder.ShouldBeNull();
    }

    [Fact]
    public void A_disabled_lock_stops_the_run_at_once_with_the_servers_reason_and_the_state_kept()
    {
        _host.Server.Disable(LockName);

        var result = _host.Update();

        result.ExitCode.ShouldBe(4, result.ToString());
        result.Stderr.ShouldContain($"lock {LockName} is disabled on Foreman DLM at {_host.Server.Url}; an administrator must enable it in Foreman");
        _host.Calls.ShouldBe(["PUT", "GET"]);
        _host.State.ShouldNotBeNull().ShouldContain("\"step\": \"lock_get\"");
        _host.Steps.ShouldBe(["needs_update"]);

        _host.Server.Enable(LockName);
        var enabled = _host.Update();

        enabled.ExitCode.ShouldBe(0, enabled.ToString());
        _host.Holder.ShouldBeNull();
        _host.Steps.Count(s => s == "needs_update").ShouldBe(1);
    }

    [Fact]
    public void A_lock_disabled_while_another_host_holds_it_is_not_waited_for()
    {
        _host.Server.SetHolder(LockName, Other);
        _host.Server.Disable(LockName);

        var result = _host.Update();

        result.ExitCode.ShouldBe(4, result.ToString());
        result.Stderr.ShouldContain($"lock {LockName} is disabled on Foreman DLM at {_host.Server.Url} (held by {Other})");
        _host.Calls.ShouldBe(["PUT", "GET"]);
        _host.Holder.ShouldBe(Other);
    }

    [Fact]
    public void A_host_not_allowed_to_take_locks_stops_at_once_with_the_servers_reason_and_the_state_kept()
    {
        _host.Server.Forbid(ForemanUpdateHost.Host);

        var result = _host.Update();

        result.ExitCode.ShouldBe(4, result.ToString());
        result.Stderr.ShouldContain($"this host is not allowed to take locks on Foreman DLM at {_host.Server.Url} (412 for lock {LockName}); ask the Foreman administrator to allow it");
        // One more PUT, as a free lock after a 412 may also mean that its holder just let go (UpdateOverForemanRaceTests); no loop.
        _host.Calls.ShouldBe(["PUT", "GET", "PUT", "GET"]);
        _host.State.ShouldNotBeNull().ShouldContain("\"step\": \"lock_get\"");
        _host.Holder.ShouldBeNull();
    }

    [Fact]
    public void A_lock_disabled_before_the_release_keeps_the_state_at_lock_release_and_the_next_run_releases_it()
    {
        using var run = _host.Start(new() { ["GATE"] = "1" });
        foreach (string step in UpdateHost.Steps)
        {
            _host.ReachedGate(run, step).ShouldBeTrue(step);
            if (step == "post_update")
            {
                _host.Server.Disable(LockName);
            }

            _host.OpenGate(step);
        }

        var refused = run.Finish();

        refused.ExitCode.ShouldBe(4, refused.ToString());
        refused.Stderr.ShouldContain($"lock {LockName} is disabled on Foreman DLM at {_host.Server.Url}");
        _host.State.ShouldNotBeNull().ShouldContain("\"step\": \"lock_release\"");
        _host.Holder.ShouldBe(ForemanUpdateHost.Host);
        _host.Calls.ShouldBe(["PUT", "DELETE", "GET"]);

        _host.Server.Enable(LockName);
        var released = _host.Update();

        released.ExitCode.ShouldBe(0, released.ToString());
        _host.Holder.ShouldBeNull();
        _host.State.ShouldBeNull();
        _host.Steps.Count(s => s == "post_update").ShouldBe(1);
        _host.Calls.ShouldBe(["PUT", "DELETE", "GET", "DELETE"]);
    }
}
