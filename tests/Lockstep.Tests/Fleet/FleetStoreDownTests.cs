using Lockstep.Fleet;
using Lockstep.Tests.Support;
using Lockstep.Tests.Support.Servers;
using Lockstep.Tests.Update;

namespace Lockstep.Tests.Fleet;

/// <summary>A fleet store nobody answers: the update goes on with one warning; the fleet commands stop with one line.</summary>
public sealed class FleetStoreDownTests : IDisposable
{
    private readonly UpdateHost _host;

    public FleetStoreDownTests()
    {
        int port = ClosedPorts.Take(1)[0];
        _host = new UpdateHost(backend: HostBackend.Local with { Section = $"{HostBackend.Local.Section}\n\n[fleet]\nstore = etcd\n\n[etcd]\nendpoints = http://127.0.0.1:{port}" });
    }

    [Fact]
    public void An_update_whose_store_cannot_be_reached_warns_once_and_ends_as_it_would_have()
    {
        var result = _host.Update(new() { ["REBOOT"] = "1" });

        result.ExitCode.ShouldBe(5, result.ToString());
        var warnings = result.Stderr.Split('\n').Where(l => l.Contains("fleet report not written", StringComparison.Ordinal)).ToList();
        warnings.Count.ShouldBe(1, result.Stderr);
        warnings[0].ShouldContain("no etcd endpoint answered");
        warnings[0].ShouldContain("the update goes on");
        _host.LockHolder.ShouldBe(UpdateHost.Holder);
        _host.Reboot();
        _host.Update().ExitCode.ShouldBe(0);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("resume")]
    public void A_fleet_command_whose_store_cannot_be_reached_is_one_line_and_exit_3(string command)
    {
        var result = LockstepCli.Run("fleet", command, "--config", _host.Config);

        result.ExitCode.ShouldBe(FleetExitStatus.Unreachable, result.ToString());
        result.Stderr.Trim().Split('\n').Length.ShouldBe(1);
        result.Stderr.ShouldContain("no etcd endpoint answered");
    }

    [Fact]
    public void A_pause_without_a_reason_is_refused_before_anything_is_asked()
    {
        var result = LockstepCli.Run("fleet", "pause", "--reason", " ", "--config", _host.Config);

        result.ExitCode.ShouldBe(FleetExitStatus.ConfigError, result.ToString());
        result.Stderr.ShouldContain("--reason is empty");
    }

    public void Dispose() => _host.Dispose();
}
