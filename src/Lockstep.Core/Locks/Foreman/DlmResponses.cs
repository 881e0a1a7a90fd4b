using System.Text.Json;
using Lockstep.Http;
using Lockstep.Json;

namespace Lockstep.Locks.Foreman;

/// <summary>
/// Turns an answer of the DLM API into an outcome or a <see cref="LockException"/>, without any I/O
/// (README "Foreman DLM"). The body is parsed as JSON only when the server says it is JSON: a proxy's HTML
/// error page must give a clear error, never a crash.
/// </summary>
internal static class DlmResponses
{
    /// <param name="call">Which call was made.</param>
    /// <param name="request">The method and URL, for messages ("PUT https://…/lock").</param>
    /// <param name="answer">What the server answered.</param>
    public static DlmOutcome Interpret(DlmCall call, string request, HttpAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return answer.Status switch
        {
            200 => new DlmOutcome(DlmOutcomeKind.Done, ParseLock(request, answer)),
            404 when call is DlmCall.Show or DlmCall.Release => new DlmOutcome(DlmOutcomeKind.Unknown),
            412 when call is DlmCall.Acquire or DlmCall.Release => new DlmOutcome(DlmOutcomeKind.Conflict),
            401 => throw new LockException(LockErrorKind.Refused,
                $"{request}: the server did not accept this host's client certificate (401){Detail(answer)}; check that client_crt and client_key hold this host's certificate, signed by Foreman's CA, for a host Foreman knows"),
            403 => throw new LockException(LockErrorKind.Refused,
                $"{request}: forbidden (403){Detail(answer)}; the certificate was taken for a user, not a host: use the host's puppet certificate in client_crt and client_key"),
            404 => throw new LockException(LockErrorKind.Protocol,
                $"{request}: not found (404){Detail(answer)}; check that foreman_url is the Foreman server and that it has the DLM plugin"),
            >= 500 => throw new LockException(LockErrorKind.Protocol,
                $"{request}: the server failed with {answer.Status}{Detail(answer)}; check the Foreman server (and any proxy in front of it), then try again"),
            _ => throw new LockException(LockErrorKind.Protocol,
                $"{request}: unexpected answer {answer.Status}{Detail(answer)}; check foreman_url and the Foreman server"),
        };
    }

    /// <summary>
    /// Explains a 412 from what a GET showed. Returns null when a release needs nothing more (the
    /// lock is held by another host or unknown, so this host holds nothing).
    /// </summary>
    public static LockException? ExplainConflict(DlmCall call, string lockName, string server, LockState shown)
    {
        ArgumentNullException.ThrowIfNull(shown);
        var others = shown.Holders.Where(h => !h.IsSelf).Select(h => h.Id).ToList();
        // Giving back a lock this host does not hold has nothing to do, whatever else the 412 meant.
        if (call == DlmCall.Release && !shown.HeldBySelf)
        {
            return null;
        }

        // A disabled lock can be neither taken nor given back, whoever holds it: waiting for the
        // holder is pointless until an administrator enables it again.
        if (shown.Enabled == false)
        {
            string holder = others.Count > 0 ? $" (held by {string.Join(", ", others)})" : "";
            return new LockException(LockErrorKind.Refused,
                $"lock {lockName} is disabled on {server}{holder}; an administrator must enable it in Foreman");
        }

        if (others.Count > 0)
        {
            return new LockException(LockErrorKind.HeldByOther,
                $"lock {lockName} is held by {string.Join(", ", others)} on {server}", others);
        }

        return new LockException(LockErrorKind.Refused,
            $"this host is not allowed to take locks on {server} (412 for lock {lockName}); ask the Foreman administrator to allow it");
    }

    /// <summary>Whether a lock shown after a 412 is enabled and free: then the 412 meant "host not allowed", or the holder let go meanwhile.</summary>
    public static bool ShowsFree(LockState shown)
    {
        ArgumentNullException.ThrowIfNull(shown);
        return shown.Holders.Count == 0 && shown.Enabled != false;
    }

    /// <summary>The lock as Lockstep sees it; a null lock is one the server does not know (free).</summary>
    public static LockState ToState(string lockName, DlmLock? shown)
    {
        if (shown is null)
        {
            return new LockState(lockName, [], Slots: 1);
        }

        var holders = new List<LockHolder>();
        if (shown.Host is { } host && (host.Name is { Length: > 0 } || shown.HostId is not null))
        {
            holders.Add(new LockHolder(host.Name is { Length: > 0 } name ? name : $"host #{shown.HostId}", host.Self == true));
        }

        return new LockState(shown.Name ?? lockName, holders, Slots: 1, Enabled: shown.Enabled);
    }

    public static bool IsJson(string? mediaType) =>
        mediaType is not null
        && (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private static DlmLock ParseLock(string request, HttpAnswer answer)
    {
        if (!IsJson(answer.MediaType))
        {
            throw new LockException(LockErrorKind.Protocol,
                $"{request}: answered 200 with {Describe(answer.MediaType)} instead of JSON; a proxy or login page may be in the way: check foreman_url");
        }

        DlmLock? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(answer.Body, DlmJsonContext.Default.DlmLock);
        }
        catch (JsonException e)
        {
            throw new LockException(LockErrorKind.Protocol, $"{request}: answered 200 with invalid JSON ({JsonFailure.Reason(e)}); check the Foreman server");
        }

        return parsed ?? throw new LockException(LockErrorKind.Protocol, $"{request}: answered 200 with an empty JSON document; check the Foreman server");
    }

    /// <summary>The server's own message when it sent JSON, else the content type that came instead.</summary>
    private static string Detail(HttpAnswer answer)
    {
        if (!IsJson(answer.MediaType))
        {
            return $", {Describe(answer.MediaType)}, not JSON";
        }

        try
        {
            string? message = JsonSerializer.Deserialize(answer.Body, DlmJsonContext.Default.DlmErrorBody)?.Error?.Message;
            return string.IsNullOrWhiteSpace(message) ? "" : $": {OneLine(message)}";
        }
        catch (JsonException)
        {
            return ", with invalid JSON";
        }
    }

    private static string Describe(string? mediaType) => mediaType is null ? "no content type" : mediaType;

    private static string OneLine(string text)
    {
        string line = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length <= 200 ? line : line[..200] + "…";
    }
}
