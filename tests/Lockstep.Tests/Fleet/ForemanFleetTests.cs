using System.Text.Json;
using Lockstep.Fleet;
using Lockstep.Tests.Support;
using Lockstep.Tests.Update;

namespace Lockstep.Tests.Fleet;

/// <summary>A fleet locked in Foreman DLM keeps its view in etcd, named in [fleet].</summary>
[Collection(EtcdClusterCollection.Name)]
public sealed class ForemanFleetTests(EtcdClusterFixture fixture) : IDisposable
{
    private readonly ForemanUpdateHost _host = new();

    [Fact]
    public void A_foreman_locked_host_reports_to_the_etcd_store_its_fleet_section_names()
    {
        File.AppendAllText(_host.Config, $"\n[fleet]\nstore = etcd\n\n[etcd]\nendpoints = {fixture.Cluster.EndpointsSetting}\n");
        var failed = _host.Update(new() { ["FAIL_IN"] = "update" });
        failed.ExitCode.ShouldBe(1, failed.ToString());

        var status = LockstepCli.Run("fleet", "status", "--json", "--config", _host.Config);

        status.ExitCode.ShouldBe(FleetExitStatus.Flagged, status.ToString());
        using var json = JsonDocument.Parse(status.Stdout);
        json.RootElement.GetProperty("backend").GetString().ShouldBe("foreman");
        json.RootElement.GetProperty("store").GetString().ShouldStartWith("etcd at ");
        var row = json.RootElement.GetProperty("hosts")[0];
        row.GetProperty("host").GetString().ShouldBe(ForemanUpdateHost.Host);
        row.GetProperty("step").GetString().ShouldBe("update");
        row.GetProperty("holds_slot").GetBoolean().ShouldBeTrue();
        row.GetProperty("flags").EnumerateArray().Select(f => f.GetString()).ShouldBe([FleetFlags.Failed]);
    }

    [Theory]
    [InlineData("fleet pause --reason x", "keeps no fleet view; add a [fleet] section with store = etcd")]
    [InlineData("fleet status", "keeps no fleet view; add a [fleet] section with store = etcd")]
    [InlineData("lock slots 2", "Foreman DLM locks have one slot, which Lockstep cannot change; to update several hosts at once use backend = etcd or postgres")]
    [InlineData("lock release --holder db-2.example.com --reason gone", "Foreman DLM gives a lock back only to the host whose certificate holds it")]
    public void What_foreman_cannot_do_is_one_line_naming_what_to_use_instead(string command, string line)
    {
        var result = LockstepCli.Run([.. command.Split(' '), "--config", _host.Config]);

        result.ExitCode.ShouldBe(FleetExitStatus.ConfigError, result.ToString());
        result.Stderr.Trim().Split('\n').Length.ShouldBe(1);
        result.Stderr.ShouldContain(line);
    }

    public void Dispose() => _host.Dispose();
}
