using Lockstep.Tests.Support;
namespace Lockstep.Tests.Update;

/// <summary>Waiting for a lock another holder has, through the command line (lock_retry_interval = 0.2 s).</summary>
public sealed class UpdateLockWaitTests : IDisposable
{
    private readonly UpdateHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public void A_lock_held_by_another_holder_is_waited_for_and_taken_once_released()
    {
        _host.WriteLockFile("db-2");

        using var run = _host.Start();
        Eventually.WaitFor(() => File.Exists(_host.LogFile) && File.ReadAllText(_host.LogFile).Contains("is held by db-2"), "lockstep to report the holder");
        _host.State.ShouldNotBeNull().ShouldContain("\"step\": \"lock_get\"");
        _host.Ran.ShouldBe(["needs_update free fleet"]);
        _host.WriteLockFile(null);
        run.WaitForExit(TimeSpan.FromSeconds(30)).ShouldBeTrue();

        run.ExitCode.ShouldBe(0, run.StandardError.ReadToEnd());
        _host.Ran.ShouldBe([
            "needs_update free fleet", "pre_update locked fleet", "update locked fleet", "needs_reboot locked fleet", "post_update locked fleet",
        ]);
        _host.LockHolder.ShouldBeNull();
    }

    [Fact]
    public void Waiting_gives_up_at_lock_wait_timeout_and_the_next_run_resumes_at_lock_get()
    {
        using var host = new UpdateHost("lock_wait_timeout = 0.5");
        host.WriteLockFile("db-2");

        var gaveUp = host.Update();

        gaveUp.ExitCode.ShouldBe(4, gaveUp.ToString());
        gaveUp.Stderr.ShouldContain("gave up waiting for lock 'fleet' (local lock file " + host.LockFile + ") after 0.5 s (lock_wait_timeout): it is held by db-2; the state is kept (lock_get)");
        host.State.ShouldNotBeNull().ShouldContain("\"step\": \"lock_get\"");
        host.LockHolder.ShouldBe("db-2");

        host.WriteLockFile(null);
        var resumed = host.Update();

        resumed.ExitCode.ShouldBe(0, resumed.ToString());
        host.Ran.Count(l => l.StartsWith("needs_update", StringComparison.Ordinal)).ShouldBe(1);
        host.LockHolder.ShouldBeNull();
    }

    [Fact]
    public void A_resumed_step_waits_for_the_lock_when_it_was_released_by_hand_and_taken_by_another_host()
    {
        using var host = new UpdateHost("lock_wait_timeout = 0.3");
        host.Update(new() { ["FAIL_IN"] = "update" }).ExitCode.ShouldBe(1);
        host.WriteLockFile("db-2");

        var blocked = host.Update();

        blocked.ExitCode.ShouldBe(4, blocked.ToString());
        blocked.Stderr.ShouldContain("resuming at update: confirming that test-host holds lock 'fleet'");
        host.Ran.Count(l => l.StartsWith("update", StringComparison.Ordinal)).ShouldBe(1);
        host.LockHolder.ShouldBe("db-2");
        host.State.ShouldNotBeNull().ShouldContain("\"step\": \"update\"");
    }

    [Fact]
    public void A_corrupt_lock_file_stops_the_run_at_once_with_the_state_kept()
    {
        Directory.CreateDirectory(_host.Dir["var"]);
        File.WriteAllText(_host.LockFile, "<html>502 Bad Gateway</html>");

        var result = _host.Update();

        result.ExitCode.ShouldBe(4, result.ToString());
        result.Stderr.ShouldContain($"local lock file {_host.LockFile} is not a valid lock file");
        _host.State.ShouldNotBeNull().ShouldContain("\"step\": \"lock_get\"");
        File.ReadAllText(_host.LockFile).ShouldBe("<html>502 Bad Gateway</html>");
    }

    [Fact]
    public void A_signal_during_the_wait_stops_the_run_with_128_plus_the_signal_and_keeps_the_state()
    {
        _host.WriteLockFile("db-2");
        using var run = _host.Start();
        Eventually.WaitFor(() => File.Exists(_host.LogFile) && File.ReadAllText(_host.LogFile).Contains("is held by db-2"), "lockstep to wait");

        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        run.WaitForExit(TimeSpan.FromSeconds(30)).ShouldBeTrue();
        run.ExitCode.ShouldBe(128 + 15);
        run.StandardError.ReadToEnd().ShouldContain("stopped by signal 15 during lock_get; the state is kept");
        _host.State.ShouldNotBeNull().ShouldContain("\"step\": \"lock_get\"");
        _host.LockHolder.ShouldBe("db-2");
    }
}
