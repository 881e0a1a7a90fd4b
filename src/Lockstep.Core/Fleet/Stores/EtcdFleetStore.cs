using System.Text;
using Lockstep.Http;
using Lockstep.Locks.Etcd;
using Lockstep.Logging;

namespace Lockstep.Fleet.Stores;

/// <summary>The fleet view in etcd, under <c>lockstep/fleet/</c>: conditional writes compare the key's revision.</summary>
public sealed class EtcdFleetStore : IFleetStore
{
    private readonly EtcdGateway _gateway;

    public EtcdFleetStore(EtcdOptions options, TimeSpan timeout, ILog log, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        _gateway = new EtcdGateway(options.Endpoints, ServerClient.Create(options.Tls, timeout, clock), log);
        Describe = $"etcd at {string.Join(",", options.Endpoints)}";
    }

    public string Describe { get; }

    public async Task<FleetEntry?> GetAsync(string key, CancellationToken cancellationToken) =>
        await _gateway.GetAsync(Encoding.UTF8.GetBytes(key), cancellationToken).ConfigureAwait(false) is { } entry
            ? new FleetEntry(key, entry.Value, entry.ModRevision)
            : null;

    public async Task<IReadOnlyList<FleetEntry>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        var entries = await _gateway.ListAsync(Encoding.UTF8.GetBytes(prefix), cancellationToken).ConfigureAwait(false);
        return [.. entries.Select(e => new FleetEntry(e.Key, e.Entry.Value, e.Entry.ModRevision))];
    }

    public Task PutAsync(string key, byte[] value, CancellationToken cancellationToken) =>
        _gateway.PutAsync(Encoding.UTF8.GetBytes(key), value, cancellationToken);

    public async Task<bool> PutIfUnchangedAsync(string key, byte[] value, FleetEntry? read, CancellationToken cancellationToken)
    {
        var (written, _) = await _gateway.PutIfUnchangedAsync(
            Encoding.UTF8.GetBytes(key), value, read is null ? null : new EtcdEntry(read.Value, read.Revision), cancellationToken).ConfigureAwait(false);
        return written;
    }

    public Task<bool> DeleteIfUnchangedAsync(FleetEntry read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        return _gateway.DeleteIfUnchangedAsync(Encoding.UTF8.GetBytes(read.Key), new EtcdEntry(read.Value, read.Revision), cancellationToken);
    }

    public void Dispose() => _gateway.Dispose();
}
