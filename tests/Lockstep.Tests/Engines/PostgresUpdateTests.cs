using Lockstep.Tests.Support;
using Lockstep.Tests.Update;

namespace Lockstep.Tests.Engines;

/// <summary>The update workflow on the PostgreSQL server; cut off by stopping the server, which keeps its rows.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresUpdateTests(PostgresFixture fixture) : EngineUpdateScenarios
{
    private bool _stopped;

    protected override HostBackend Reachable =>
        new("backend = postgres", $"[postgres]\nconnection = {fixture.Server.ConnectionString()}", HostBackend.StatusProbe);

    public override async Task DisposeAsync()
    {
        // The server is shared by the collection: a failed test must not leave it stopped.
        if (_stopped)
        {
            await RestoreAsync();
        }

        await base.DisposeAsync();
    }

    protected override async Task CutOffAsync()
    {
        await fixture.Server.StopAsync();
        _stopped = true;
    }

    protected override async Task RestoreAsync()
    {
        await fixture.Server.StartProcessAsync();
        _stopped = false;
    }
}
