using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Lockstep.Http;
using Lockstep.Logging;

namespace Lockstep.Locks.Etcd;

/// <summary>A key as read: its value and the revision of its last change (0 when absent).</summary>
internal sealed record EtcdEntry(byte[] Value, long ModRevision);

/// <summary>
/// etcd's v3 JSON gateway on a cluster of endpoints. Each request goes to the endpoint that
/// answered last and fails over to the others when one cannot answer; a request that timed out
/// may still have been applied, which callers allow for by re-reading (their writes are conditional).
/// </summary>
internal sealed partial class EtcdGateway(IReadOnlyList<Uri> endpoints, ServerClient http, ILog log) : IDisposable
{
    private const string TxnPath = "v3/kv/txn";

    private int _preferred;

    /// <summary>The key's value, or null when there is no such key.</summary>
    public async Task<EtcdEntry?> GetAsync(byte[] key, CancellationToken cancellationToken)
    {
        var answer = await PostAsync(
            "v3/kv/range", new RangeRequest { Key = key }, EtcdJsonContext.Default.RangeRequest, EtcdJsonContext.Default.RangeResponse, cancellationToken).ConfigureAwait(false);
        return Entry(answer);
    }

    /// <summary>
    /// Writes <paramref name="value"/> only if the key is still as <paramref name="read"/> (absent
    /// when null). Returns whether it was written and, when not, the key as it is now.
    /// </summary>
    public async Task<(bool Written, EtcdEntry? Current)> PutIfUnchangedAsync(byte[] key, byte[] value, EtcdEntry? read, CancellationToken cancellationToken)
    {
        // Version 0 means "no such key"; the revision of the last change cannot repeat, even across delete and re-create.
        var compare = read is null
            ? new Compare { Target = "VERSION", Key = key, Version = 0 }
            : new Compare { Target = "MOD", Key = key, ModRevision = read.ModRevision };
        var request = new TxnRequest
        {
#if LOCKSTEP_FAULT_NO_CAS
            // Test build only (docs/reliability.md): no comparison, so a lost race overwrites the winner.
            Compare = [],
#else
            Compare = [compare],
#endif
            Success = [new RequestOp { RequestPut = new PutRequest { Key = key, Value = value } }],
            Failure = [new RequestOp { RequestRange = new RangeRequest { Key = key } }],
        };
        var answer = await PostAsync(
            TxnPath, request, EtcdJsonContext.Default.TxnRequest, EtcdJsonContext.Default.TxnResponse, cancellationToken).ConfigureAwait(false);
        return answer.Succeeded ? (true, null) : (false, Entry(answer.Responses?.FirstOrDefault()?.ResponseRange));
    }

    public void Dispose() => http.Dispose();

    private static EtcdEntry? Entry(RangeResponse? range) =>
        range?.Kvs?.FirstOrDefault() is { } kv ? new EtcdEntry(kv.Value ?? [], kv.ModRevision) : null;

    private async Task<TAnswer> PostAsync<TRequest, TAnswer>(
        string path, TRequest request, JsonTypeInfo<TRequest> requestInfo, JsonTypeInfo<TAnswer> answerInfo, CancellationToken cancellationToken)
        where TAnswer : class
    {
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(request, requestInfo);
        var failures = new List<string>();

        // Every change is a transaction: one that reached a member unanswered may have been applied.
        bool write = path == TxnPath;
        bool unanswered = false;
        int first = Volatile.Read(ref _preferred);
        for (int i = 0; i < endpoints.Count; i++)
        {
            int index = (first + i) % endpoints.Count;
            var endpoint = endpoints[index];
            try
            {
                var answer = await PostOnceAsync(endpoint, path, body, answerInfo, cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _preferred, index);
                return answer;
            }
            catch (EtcdUnavailableException e)
            {
                log.Debug($"etcd endpoint {endpoint}: {e.Message}; trying the next one");
                failures.Add($"{endpoint}: {e.Message}");
                unanswered |= write && e.OutcomeUnknown;
            }
        }

        throw new LockException(
            LockErrorKind.Unreachable,
            $"no etcd endpoint answered ({string.Join("; ", failures)}); check [etcd] endpoints and that the cluster is up")
        {
            Unanswered = unanswered,
        };
    }

    private async Task<TAnswer> PostOnceAsync<TAnswer>(Uri endpoint, string path, byte[] body, JsonTypeInfo<TAnswer> answerInfo, CancellationToken cancellationToken)
        where TAnswer : class
    {
        try
        {
            var answer = await http.SendAsync(HttpMethod.Post, new Uri(endpoint, path), body, [], cancellationToken).ConfigureAwait(false);
            return EtcdAnswer.Read(endpoint, answer.Status, answer.Body, answerInfo);
        }
        catch (HttpCallException e) when (HttpLockFailure.KindOf(e.Failure) == LockErrorKind.Refused)
        {
            throw HttpLockFailure.ToLockException(e, $"etcd endpoint {endpoint}: {e.Message}; check [etcd] ca, cert and key");
        }
        catch (HttpCallException e)
        {
            // Any other endpoint of the cluster may answer: the kind is decided once all have failed.
            throw new EtcdUnavailableException(e.Message, e.RequestSent);
        }
    }
}
