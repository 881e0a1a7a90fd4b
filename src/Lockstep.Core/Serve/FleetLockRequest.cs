using System.Text.Json;
using Lockstep.Json;
using Lockstep.Locks.FleetLock;

namespace Lockstep.Serve;

/// <summary>A checked FleetLock request: who (id) asks for a slot of which configured group.</summary>
public sealed record FleetLockRequest(string Id, string Group)
{
    private const string Invalid = "failed to validate client identity: ";

    /// <summary>
    /// Checks a request in airlock's order, with airlock's answers: the <c>fleet-lock-protocol</c>
    /// header, the JSON body, a non-empty group, a non-empty id, then a configured group.
    /// Pure: either the request or the error answer.
    /// </summary>
    public static (FleetLockRequest? Request, ServeAnswer? Refusal) Read(
        string? protocolHeader, ReadOnlySpan<byte> body, IReadOnlyDictionary<string, int> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        if (protocolHeader != "true")
        {
            return Refuse($"{Invalid}wrong '{FleetLockProtocol.Header}' header");
        }

        ServeRequestBody? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(body, ServeJsonContext.Default.ServeRequestBody);
        }
        catch (JsonException e)
        {
            return Refuse($"{Invalid}body is not FleetLock JSON {{\"client_params\":{{\"id\",\"group\"}}}}: {JsonFailure.Reason(e)}");
        }

        var client = parsed?.ClientParams;
        if (string.IsNullOrEmpty(client?.Group))
        {
            return Refuse($"{Invalid}empty client group");
        }

        if (string.IsNullOrEmpty(client.Id))
        {
            return Refuse($"{Invalid}empty client ID");
        }

        if (!groups.ContainsKey(client.Group))
        {
            return (null, ServeAnswer.Error(400, ServeAnswer.UnknownGroup, $"unknown group \"{client.Group}\""));
        }

        return (new FleetLockRequest(client.Id, client.Group), null);
    }

    private static (FleetLockRequest?, ServeAnswer?) Refuse(string value) =>
        (null, ServeAnswer.Error(400, ServeAnswer.InvalidClientIdentity, value));
}
