namespace Lockstep.Http;

/// <summary>Why an HTTP request got no usable answer.</summary>
internal enum HttpFailure
{
    /// <summary>No connection (refused, reset, closed early): another server, or later, may do.</summary>
    Connection,

    /// <summary>The server's host name did not resolve.</summary>
    NameResolution,

    /// <summary>No complete answer within the timeout.</summary>
    Timeout,

    /// <summary>The server's certificate failed verification, or ours was rejected: configuration to fix.</summary>
    Tls,

    /// <summary>Something answered, but not with HTTP this client accepts (invalid, or larger than it takes).</summary>
    BadAnswer,

    /// <summary>An https:// URL names a server that answered the TLS handshake in plain text, or hung up on it: a plain-HTTP server.</summary>
    NotTls,
}

/// <summary>
/// An HTTP request that got no usable answer. The message says why in a few words: the innermost
/// cause, or for <see cref="HttpFailure.Tls"/> why the server's certificate is not trusted when
/// that was the reason (<see cref="CertificateProblem"/>).
/// </summary>
internal sealed class HttpCallException(HttpFailure failure, string cause, string? certificateProblem = null)
    : Exception(certificateProblem ?? (failure == HttpFailure.Tls ? $"TLS failed: {cause}" : cause))
{
    /// <summary>What an https:// request says when the server answered in plain text (or hung up at the handshake).</summary>
    public const string NotTls = "does not speak TLS (is it http://?)";

    public HttpFailure Failure { get; } = failure;

    /// <summary>
    /// Whether the whole request had been handed to the connection when it failed (a timeout or a
    /// connection closed while waiting for the answer): the server may have acted on it. Never
    /// true for a failure while connecting, so a refused connection changed nothing.
    /// </summary>
    public bool RequestSent { get; init; }

    /// <summary>The innermost reason the runtime gave.</summary>
    public string Cause { get; } = cause;

    /// <summary>Why the server's certificate was refused, when that ended the call; null otherwise.</summary>
    public string? CertificateProblem { get; } = certificateProblem;
}

/// <summary>What a server answered, uninterpreted: status, media type (null when absent) and body.</summary>
public sealed record HttpAnswer(int Status, string? MediaType, byte[] Body)
{
    /// <summary>An answer given as text (UTF-8).</summary>
    public HttpAnswer(int status, string? mediaType, string text)
        : this(status, mediaType, System.Text.Encoding.UTF8.GetBytes(text))
    {
    }
}
