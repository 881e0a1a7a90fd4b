using System.Text;

namespace Lockstep.Locks.Etcd;

/// <summary>The calls the fleet store needs besides the semaphore's: every key of a prefix, unconditional puts, conditional deletes.</summary>
internal sealed partial class EtcdGateway
{
    /// <summary>Every key starting with <paramref name="prefix"/>, in key order.</summary>
    public async Task<IReadOnlyList<(string Key, EtcdEntry Entry)>> ListAsync(byte[] prefix, CancellationToken cancellationToken)
    {
        var answer = await PostAsync(
            "v3/kv/range", new RangeRequest { Key = prefix, RangeEnd = PrefixEnd(prefix) }, EtcdJsonContext.Default.RangeRequest, EtcdJsonContext.Default.RangeResponse, cancellationToken)
            .ConfigureAwait(false);
        return [.. (answer.Kvs ?? []).Select(kv => (Encoding.UTF8.GetString(kv.Key ?? []), new EtcdEntry(kv.Value ?? [], kv.ModRevision)))];
    }

    public async Task PutAsync(byte[] key, byte[] value, CancellationToken cancellationToken)
    {
        var request = new TxnRequest { Compare = [], Success = [new RequestOp { RequestPut = new PutRequest { Key = key, Value = value } }], Failure = [] };
        await PostAsync(TxnPath, request, EtcdJsonContext.Default.TxnRequest, EtcdJsonContext.Default.TxnResponse, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the key only if it is unchanged since <paramref name="read"/>; false when it changed.</summary>
    public async Task<bool> DeleteIfUnchangedAsync(byte[] key, EtcdEntry read, CancellationToken cancellationToken)
    {
        var request = new TxnRequest
        {
            Compare = [new Compare { Target = "MOD", Key = key, ModRevision = read.ModRevision }],
            Success = [new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = key } }],
            Failure = [],
        };
        var answer = await PostAsync(TxnPath, request, EtcdJsonContext.Default.TxnRequest, EtcdJsonContext.Default.TxnResponse, cancellationToken).ConfigureAwait(false);
        return answer.Succeeded;
    }

    /// <summary>etcd's range end for a prefix: the prefix with its last byte below 0xff incremented.</summary>
    internal static byte[] PrefixEnd(byte[] prefix)
    {
        byte[] end = (byte[])prefix.Clone();
        for (int i = end.Length - 1; i >= 0; i--)
        {
            if (end[i] < 0xff)
            {
                end[i]++;
                return end[..(i + 1)];
            }
        }

        return [0];
    }
}
