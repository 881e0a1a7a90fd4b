using System.Runtime.InteropServices;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.Refresh;

/// <summary>A signal that arrives while error.d runs is not lost: refresh exits 128+N and records the run as interrupted.</summary>
public sealed partial class RefreshErrorHandlerSignalTests : IDisposable
{
    private readonly RefreshHost _host = new();

    public void Dispose() => _host.Dispose();

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);

    [Theory]
    [InlineData(15)]
    [InlineData(2)]
    [InlineData(1)]
    public void A_signal_during_error_d_gives_128_plus_n(int signal)
    {
        string ready = _host.Temp["ready"];
        _host.Script("configure", "10-fail", "exit 3");
        _host.Temp.Script("base/error.d/10-report", $"trap 'exit 9' TERM INT HUP\necho ready > '{ready}'\nwhile :; do sleep 0.05; done");

        using var lockstep = LockstepCli.Start(_host.WithBase(new CliOptions { SignalDisposition = "--default-signal=HUP,INT" }), "refresh", "--lockfile", _host.LockFile, "--state-dir", _host.StateDir);
        ProcessProbe.WaitForFile(ready, TimeSpan.FromSeconds(20));
        kill(lockstep.Id, signal).ShouldBe(0);
        lockstep.WaitForExit(20_000).ShouldBeTrue();

        lockstep.ExitCode.ShouldBe(128 + signal, lockstep.StandardError.ReadToEnd());
        var record = _host.Records().ShouldHaveSingleItem();
        record.GetProperty("outcome").GetString().ShouldBe("interrupted");
        record.GetProperty("exit_status").GetInt32().ShouldBe(128 + signal);
    }
}
