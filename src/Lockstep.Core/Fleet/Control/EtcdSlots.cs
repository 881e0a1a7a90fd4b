using System.Text;
using Lockstep.Http;
using Lockstep.Locks;
using Lockstep.Locks.Etcd;
using Lockstep.Locks.Semaphore;
using Lockstep.Logging;

namespace Lockstep.Fleet.Control;

/// <summary>The slot count of airlock's semaphore key, changed by compare-and-swap on its revision; the holders are kept.</summary>
internal sealed class EtcdSlots(EtcdOptions options, TimeSpan timeout, ILog log, TimeProvider clock) : IDisposable
{
    private const int MaxAttempts = 20;

    private readonly EtcdGateway _gateway = new(options.Endpoints, ServerClient.Create(options.Tls, timeout, clock), log);

    public async Task<SlotChange> SetAsync(string lockName, int slots, CancellationToken cancellationToken)
    {
        string key = EtcdKeys.Semaphore(lockName);
        byte[] keyBytes = Encoding.UTF8.GetBytes(key);
        string where = $"etcd key {key} in etcd at {string.Join(",", options.Endpoints)}";
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var entry = await _gateway.GetAsync(keyBytes, cancellationToken).ConfigureAwait(false);
            var before = entry is null ? SlotSemaphore.Empty(options.Slots) : SemaphoreJson.Parse(entry.Value, where);
            var after = new SlotSemaphore(slots, before.Holders);
            var (written, _) = await _gateway.PutIfUnchangedAsync(keyBytes, SemaphoreJson.Serialize(after), entry, cancellationToken).ConfigureAwait(false);
            if (written)
            {
                return new SlotChange(before.TotalSlots, slots, before.Holders);
            }
        }

        throw new LockException(LockErrorKind.Unreachable, $"{where} changed under each of {MaxAttempts} attempts; try again");
    }

    public void Dispose() => _gateway.Dispose();
}
