using Lockstep.Locks;
using Lockstep.Locks.Postgres;
using Lockstep.Tests.Support;
using Xunit.Abstractions;

namespace Lockstep.Tests.Locks.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class PostgresSafetyTests(PostgresFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Thirty_two_clients_never_hold_more_than_two_slots_while_the_server_restarts()
    {
        string group = LockContexts.UniqueLockName("safety");
        string ini = $"[main]\nbackend = postgres\n[postgres]\nconnection = {fixture.Server.ConnectionString()}\nslots = 2\n";
        var backends = new List<PostgresLockBackend>();
        ILockBackend BackendFor(int client)
        {
            var backend = (PostgresLockBackend)LockContexts.Backend(ini, timeoutSeconds: 2);
            lock (backends)
            {
                backends.Add(backend);
            }

            return backend;
        }

        async Task RestartServer()
        {
            await Task.Delay(TimeSpan.FromSeconds(4));
            await fixture.Server.StopAsync();
            await Task.Delay(TimeSpan.FromSeconds(1));
            await fixture.Server.StartProcessAsync();
        }

        try
        {
            var report = await Contention.RunAsync(BackendFor, clients: 32, group, TimeSpan.FromSeconds(12), RestartServer);
            output.WriteLine(report.ToString());
            report.ShouldBeSafe(slots: 2);
            report.TransientErrors.ShouldBeGreaterThan(0, "the restart was meant to be seen by the clients");
        }
        finally
        {
            foreach (var backend in backends)
            {
                await backend.DisposeAsync();
            }
        }
    }
}
