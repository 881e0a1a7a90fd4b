namespace Lockstep.Tests.Update;

/// <summary>A failure Lockstep does not expect (a bug) through the real command line.</summary>
public sealed class UpdateInternalErrorTests : IDisposable
{
    private readonly UpdateHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public void An_exception_nothing_expects_ends_with_one_line_and_exit_70_and_the_state_is_kept()
    {
        var result = _host.Update(new() { ["LOCKSTEP_CRASH_AT"] = "throw:before:update", ["LOCKSTEP_LOG_LEVEL"] = "ERROR" });

        result.ExitCode.ShouldBe(70, result.ToString());
        result.Stderr.ShouldBe("lockstep update: internal error: InvalidOperationException: LOCKSTEP_CRASH_AT reached before:update; please report this\n");
        _host.State.ShouldNotBeNull().ShouldContain("\"step\": \"update\"");
        _host.LockHolder.ShouldBe(UpdateHost.Holder);

        var resumed = _host.Update();

        resumed.ExitCode.ShouldBe(0, resumed.ToString());
        _host.Ran.Select(l => l.Split(' ')[0]).ShouldBe(["needs_update", "pre_update", "update", "needs_reboot", "post_update"]);
        _host.LockHolder.ShouldBeNull();
    }
}
