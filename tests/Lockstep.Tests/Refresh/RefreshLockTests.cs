using System.Diagnostics;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.Refresh;

/// <summary>One run at a time: the lockfile, --wait-lock, and lockfiles that cannot be used.</summary>
public sealed class RefreshLockTests : IDisposable
{
    private readonly RefreshHost _host = new();

    /// <summary>Starts a run whose configure script holds it (and so the lock) until the release file appears.</summary>
    private Process StartHoldingRun()
    {
        string started = _host.Temp["started"];
        _host.Script("configure", "10-hold",
            $"echo held > {started}\ni=0\nwhile [ ! -e {_host.Temp["release"]} ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done\necho first run done");
        var process = LockstepCli.Start(_host.WithBase(new CliOptions()), "refresh", "--lockfile", _host.LockFile, "--state-dir", _host.StateDir);
        ProcessProbe.WaitForFile(started, TimeSpan.FromSeconds(20));
        return process;
    }

    private void Release(Process first)
    {
        File.WriteAllText(_host.Temp["release"], "");
        first.WaitForExit(30_000).ShouldBeTrue();
        first.ExitCode.ShouldBe(0, first.StandardError.ReadToEnd());
    }

    [Fact]
    public void A_second_run_exits_11_with_one_line_naming_the_holder()
    {
        using var first = StartHoldingRun();

        var second = _host.Run();

        Release(first);
        second.ExitCode.ShouldBe(11, second.ToString());
        second.Stdout.ShouldBe("");
        var line = second.Stderr.Trim().Split('\n').ShouldHaveSingleItem();
        line.ShouldContain($"lockfile {_host.LockFile} is held by another refresh run (Locked by pid=={first.Id} ");
        line.ShouldContain("--wait-lock");
        _host.Records().Select(r => r.GetProperty("outcome").GetString()).ShouldBe(["lock_held", "succeeded"], ignoreOrder: true);
    }

    [Fact]
    public void Wait_lock_gives_up_with_11_when_the_holder_keeps_the_lock_and_history_shows_the_holder_running()
    {
        using var first = StartHoldingRun();

        var second = _host.Run("--wait-lock", "0.3");
        var history = _host.History();

        Release(first);
        second.ExitCode.ShouldBe(11, second.ToString());
        second.Stderr.ShouldContain("is held by another refresh run");
        second.Stderr.ShouldContain("after waiting 0.3 s; try again later");
        history.Stdout.ShouldContain($"running now (pid {first.Id})");
    }

    [Fact]
    public async Task Wait_lock_waits_for_the_holder_and_then_runs()
    {
        using var first = StartHoldingRun();
        using var second = LockstepCli.Start(_host.WithBase(new CliOptions()), "refresh", "--lockfile", _host.LockFile, "--state-dir", _host.StateDir, "--wait-lock", "60");
        var stdout = second.StandardOutput.ReadToEndAsync();
        string? waiting = await second.StandardError.ReadLineAsync();
        var rest = second.StandardError.ReadToEndAsync();

        second.HasExited.ShouldBeFalse();
        Release(first);

        await second.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        second.ExitCode.ShouldBe(0, await rest);
        waiting.ShouldNotBeNull().ShouldContain($"waiting up to 60 s for lockfile {_host.LockFile}, held by another run (Locked by pid=={first.Id}");
        (await stdout).ShouldContain("first run done");
    }

    [Fact]
    public void The_lockfile_is_created_and_never_deleted()
    {
        _host.Run().ExitCode.ShouldBe(0);
        File.Exists(_host.LockFile).ShouldBeTrue();
        _host.Run().ExitCode.ShouldBe(0);
        File.Exists(_host.LockFile).ShouldBeTrue();
    }

    [Fact]
    public void A_lockfile_whose_directory_is_missing_gives_1_one_line_and_a_record()
    {
        string lockFile = _host.Temp["no-such-dir/refresh.lock"];
        _host.Script("configure", "10-x", "echo must not run");

        var result = LockstepCli.RunWith(_host.WithBase(new CliOptions()), "refresh", "--lockfile", lockFile, "--state-dir", _host.StateDir);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stdout.ShouldBe("");
        var line = result.Stderr.Trim().Split('\n').ShouldHaveSingleItem();
        line.ShouldContain($"directory {_host.Temp["no-such-dir"]} does not exist");
        line.ShouldContain("--lockfile");
        var record = _host.Records().ShouldHaveSingleItem();
        record.GetProperty("outcome").GetString().ShouldBe("not_started");
        record.GetProperty("message").GetString()!.ShouldContain("does not exist");
    }

    [Fact]
    public void A_lockfile_that_is_a_directory_gives_1_and_one_line()
    {
        string dir = _host.Temp.Dir("lock-dir");

        var result = LockstepCli.RunWith(_host.WithBase(new CliOptions()), "refresh", "--lockfile", dir, "--state-dir", _host.StateDir);

        result.ExitCode.ShouldBe(1);
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain($"lockfile {dir} is a directory");
    }

    [Fact]
    public void The_default_lockfile_needs_root_and_says_so()
    {
        string state = _host.Temp.Dir("shared-state");
        File.SetUnixFileMode(state, (UnixFileMode)0b111_111_111);

        var result = RefreshHost.RunAsNobody(_host.WithBase(new CliOptions()), "refresh", "--state-dir", state);

        result.ExitCode.ShouldBe(1, result.ToString());
        var line = result.Stderr.Trim().Split('\n').ShouldHaveSingleItem();
        line.ShouldContain("/var/run/os-refresh-config.lock");
        line.ShouldContain("needs root");
        line.ShouldContain("--lockfile PATH");
        LockstepCli.Run("history", "--state-dir", state).Stdout.ShouldContain("not_started");
    }

    public void Dispose() => _host.Dispose();
}
