using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Lockstep.Locks.Etcd;

/// <summary>Another endpoint may do better: no connection, no answer in time, no leader, overloaded.</summary>
/// <param name="outcomeUnknown">The request reached the cluster and its outcome is unknown (no answer, or etcd's own "request timed out"): a write may have been applied.</param>
internal sealed class EtcdUnavailableException(string reason, bool outcomeUnknown = false) : Exception(reason)
{
    public bool OutcomeUnknown { get; } = outcomeUnknown;
}

/// <summary>What one endpoint's HTTP answer means; a pure function, tested without a server.</summary>
internal static class EtcdAnswer
{
    // gRPC status codes the gateway passes on: Canceled, DeadlineExceeded, ResourceExhausted, Aborted, Unavailable.
    private static readonly HashSet<int> Transient = [1, 4, 8, 10, 14];

    private const int DeadlineExceeded = 4;

    // Unauthenticated, PermissionDenied.
    private static readonly HashSet<int> Denied = [16, 7];

    /// <summary>
    /// The answer's body as <typeparamref name="T"/> when the status is 200; otherwise throws
    /// <see cref="EtcdUnavailableException"/> (try the next endpoint) or a <see cref="LockException"/>.
    /// </summary>
    public static T Read<T>(Uri endpoint, int status, ReadOnlySpan<byte> body, JsonTypeInfo<T> info)
        where T : class
    {
        if (status == 200)
        {
            return TryParse(body, info)
                ?? throw new LockException(
                    LockErrorKind.Protocol,
                    $"etcd endpoint {endpoint} answered 200 with something that is not etcd's JSON ({Excerpt.Of(body)}); check [etcd] endpoints points at etcd's client URL");
        }

        var error = TryParse(body, EtcdJsonContext.Default.GatewayError);
        string? reason = error?.Message ?? error?.Error;
        if (error is null || reason is null)
        {
            if (status is 502 or 503 or 504)
            {
                throw new EtcdUnavailableException($"HTTP {status}");
            }

            throw new LockException(
                LockErrorKind.Protocol,
                $"etcd endpoint {endpoint} answered HTTP {status} ({Excerpt.Of(body)}); check [etcd] endpoints points at an etcd 3.4 or later client URL");
        }

        if (Transient.Contains(error.Code) || status is 503 or 504)
        {
            // DeadlineExceeded, or etcd's "request timed out" (sent as Unavailable): the proposal may still be committed.
            throw new EtcdUnavailableException(reason, error.Code == DeadlineExceeded || reason.Contains("timed out", StringComparison.Ordinal));
        }

        if (Denied.Contains(error.Code) || status is 401 or 403)
        {
            throw new LockException(
                LockErrorKind.Refused,
                $"etcd endpoint {endpoint} refused access: {reason}; give a client certificate it accepts ([etcd] cert and key)");
        }

        throw new LockException(LockErrorKind.Protocol, $"etcd endpoint {endpoint} rejected the request: {reason} (HTTP {status})");
    }

    private static T? TryParse<T>(ReadOnlySpan<byte> body, JsonTypeInfo<T> info)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(body, info);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
