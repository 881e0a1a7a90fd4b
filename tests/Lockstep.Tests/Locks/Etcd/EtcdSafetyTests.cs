using Lockstep.Locks;
using Lockstep.Tests.Support;
using Xunit.Abstractions;

namespace Lockstep.Tests.Locks.Etcd;

[Collection(EtcdClusterCollection.Name)]
public sealed class EtcdSafetyTests(EtcdClusterFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Thirty_two_clients_never_hold_more_than_two_slots_while_a_member_is_stopped_and_restarted()
    {
        var cluster = fixture.Cluster;
        string group = LockContexts.UniqueLockName("safety");
        var backends = new List<ILockBackend>();
        ILockBackend BackendFor(int client)
        {
            // Each client lists the members from a different one, as hosts configured differently would.
            var endpoints = Enumerable.Range(0, 3).Select(i => cluster.Endpoints[(client + i) % 3]);
            string ini = $"[main]\nbackend = etcd\n[etcd]\nendpoints = {string.Join(",", endpoints)}\nslots = 2\n";
            var backend = LockContexts.Backend(ini, timeoutSeconds: 2);
            lock (backends)
            {
                backends.Add(backend);
            }

            return backend;
        }

        async Task StopAndRestartMember()
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            await cluster.StopMemberAsync(0);
            await Task.Delay(TimeSpan.FromSeconds(4));
            await cluster.StartMemberAsync(0);
        }

        try
        {
            var report = await Contention.RunAsync(BackendFor, clients: 32, group, TimeSpan.FromSeconds(12), StopAndRestartMember);
            output.WriteLine(report.ToString());
            report.ShouldBeSafe(slots: 2);
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
