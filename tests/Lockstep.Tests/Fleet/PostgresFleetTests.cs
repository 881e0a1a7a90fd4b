using Lockstep.Tests.Support;
using Lockstep.Tests.Update;

namespace Lockstep.Tests.Fleet;

/// <summary>The fleet view on the PostgreSQL server: reports in the lockstep_fleet table, the slot count in the group's row.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresFleetTests(PostgresFixture fixture) : FleetScenarios
{
    protected override HostBackend Engine => new("backend = postgres", $"[postgres]\nconnection = {fixture.Server.ConnectionString()}", HostBackend.StatusProbe);

    [Fact]
    public void Lock_slots_changes_the_groups_row_and_keeps_its_holders()
    {
        var web1 = NewHost("web-1");
        Gate(web1, "update");
        var run = Start(web1);
        WaitForRow(web1, "web-1", row => Text(row, "step") == "update");

        var widened = Lock(web1, "slots", "2");

        widened.ExitCode.ShouldBe(0, widened.ToString());
        widened.Stdout.ShouldContain("slots 1 -> 2 (holders: web-1)");
        var status = Fleet(web1, "status");
        status.Stdout.ShouldContain("slots: 2");
        status.Stdout.ShouldContain("holders: web-1");
        Lock(web1, "slots", "0").ExitCode.ShouldBe(2);
        File.WriteAllText(web1.Dir["go"], "");
        run.Finish().ExitCode.ShouldBe(0);
    }
}
