using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Lockstep.Config;
using Lockstep.Logging;

namespace Lockstep.Locks.FleetLock;

/// <summary>The two FleetLock calls (README "Lock backends", fleetlock).</summary>
public enum FleetLockCall
{
    /// <summary><c>POST v1/pre-reboot</c>: take a slot.</summary>
    PreReboot,

    /// <summary><c>POST v1/steady-state</c>: give any slot back.</summary>
    SteadyState,
}

/// <summary>The FleetLock wire format and what its answers mean; pure, tested without a server.</summary>
public static class FleetLockProtocol
{
    public const string Header = "fleet-lock-protocol";

    /// <summary>airlock's kind when it gave no slot: every slot taken, a damaged semaphore value or a lost race: wait.</summary>
    public const string FailedLock = "failed_lock";

    private static readonly SearchValues<char> GroupChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-");

    public static string Path(FleetLockCall call) => call == FleetLockCall.PreReboot ? "v1/pre-reboot" : "v1/steady-state";

    public static bool IsValidGroup(string group) =>
        !string.IsNullOrEmpty(group) && !group.AsSpan().ContainsAnyExcept(GroupChars);

    /// <summary>Refuses a lock name FleetLock cannot carry as a group, naming where it was set.</summary>
    public static void CheckGroup(string group, string where)
    {
        if (!IsValidGroup(group))
        {
            throw new ConfigException(
                $"{where} = '{group}' is not a FleetLock group name (letters, digits, '.' and '-' only); rename the lock");
        }
    }

    public static byte[] Body(string id, string group) =>
        JsonSerializer.SerializeToUtf8Bytes(
            new FleetLockRequest { ClientParams = new FleetLockClient { Id = id, Group = group } },
            FleetLockJsonContext.Default.FleetLockRequest);

    /// <summary>Null when the call succeeded; otherwise the failure, with the server's kind and value when it gave them.</summary>
    public static LockException? Interpret(FleetLockCall call, Uri server, string group, int status, ReadOnlySpan<byte> body)
    {
        if (status == 200)
        {
            return null;
        }

        string what = call == FleetLockCall.PreReboot ? $"take a slot of group '{group}'" : $"give back the slot of group '{group}'";
        var error = TryParseError(body);
        if (error is null)
        {
            return status is 502 or 503 or 504
                ? new LockException(LockErrorKind.Unreachable, $"FleetLock server {server} could not {what}: HTTP {status}; retry later")
                : new LockException(
                    LockErrorKind.Protocol,
                    $"FleetLock server {server} answered HTTP {status} ({Excerpt.Of(body)}) to {Path(call)}; check [fleetlock] url is the FleetLock base URL");
        }

        string said = Printable.Escape($"{error.Kind}: {error.Value}", 300);
        string reason = $"HTTP {status} {said}";
        if (call == FleetLockCall.PreReboot && error.Kind == FailedLock)
        {
            // Not "held by another host": airlock says failed_lock for a damaged semaphore value or
            // a lost race too, so its own words are what is shown while waiting.
            return new LockException(LockErrorKind.HeldByOther, $"FleetLock server {server} gave no slot of group '{group}' ({reason})") { ServerReason = said };
        }

        return status >= 500
            ? new LockException(LockErrorKind.Unreachable, $"FleetLock server {server} could not {what} ({reason}); retry later")
            : new LockException(LockErrorKind.Refused, $"FleetLock server {server} refused to {what} ({reason}); fix the request or the server's groups");
    }

    /// <summary>
    /// What <c>lockstep lock status</c> asks to learn that the server answers, changing nothing:
    /// a GET of <c>v1/pre-reboot</c> without the <c>fleet-lock-protocol</c> header, which the
    /// protocol requires of every lock call. airlock refuses it (400), as does lockstep serve (405).
    /// </summary>
    public const string ProbeMethod = "GET";

    /// <summary>
    /// Null when the answer to the probe shows a FleetLock endpoint (any 4xx but 404: it refused a
    /// call that is not a lock call); otherwise why not: a missing endpoint or an answer a FleetLock
    /// server would not give (2xx, 3xx) is a protocol error, a failing server (5xx) unreachable.
    /// </summary>
    public static LockException? InterpretProbe(Uri server, int status, ReadOnlySpan<byte> body)
    {
        string request = $"{ProbeMethod} {Path(FleetLockCall.PreReboot)}";
        return status switch
        {
            404 => new LockException(
                LockErrorKind.Protocol,
                $"FleetLock server {server} has no {Path(FleetLockCall.PreReboot)} (HTTP 404 to {request}: {Excerpt.Of(body)}); check [fleetlock] url is the FleetLock base URL"),
            >= 400 and < 500 => null,
            >= 500 => new LockException(LockErrorKind.Unreachable, $"FleetLock server {server} failed (HTTP {status} to {request}: {Excerpt.Of(body)}); retry later"),
            _ => new LockException(
                LockErrorKind.Protocol,
                $"FleetLock server {server} answered HTTP {status} to {request} without the {Header} header, which a FleetLock server refuses ({Excerpt.Of(body)}); check [fleetlock] url is the FleetLock base URL"),
        };
    }

    private static FleetLockError? TryParseError(ReadOnlySpan<byte> body)
    {
        try
        {
            var error = JsonSerializer.Deserialize(body, FleetLockJsonContext.Default.FleetLockError);
            return error?.Kind is { Length: > 0 } ? error : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

internal sealed class FleetLockClient
{
    [JsonPropertyName("id")] public required string Id { get; init; }

    [JsonPropertyName("group")] public required string Group { get; init; }
}

internal sealed class FleetLockRequest
{
    [JsonPropertyName("client_params")] public required FleetLockClient ClientParams { get; init; }
}

internal sealed class FleetLockError
{
    [JsonPropertyName("kind")] public string? Kind { get; set; }

    [JsonPropertyName("value")] public string? Value { get; set; }
}

[JsonSerializable(typeof(FleetLockRequest))]
[JsonSerializable(typeof(FleetLockError))]
internal sealed partial class FleetLockJsonContext : JsonSerializerContext;
