using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Security.Cryptography;

namespace Lockstep.Http;

/// <summary>Why an HTTP request got no answer at all.</summary>
public enum HttpFailure
{
    /// <summary>No connection (refused, reset, DNS): another server, or later, may do.</summary>
    Connection,

    /// <summary>No complete answer within the timeout.</summary>
    Timeout,

    /// <summary>The server's certificate failed verification, or ours was rejected: configuration to fix.</summary>
    Tls,
}

/// <summary>An HTTP request that got no answer; the message says why in a few words.</summary>
public sealed class HttpCallException(HttpFailure failure, string message) : Exception(message)
{
    public HttpFailure Failure { get; } = failure;
}

/// <summary>One JSON POST with a deadline on the whole exchange, answered by status and body.</summary>
public static class HttpCall
{
    public static async Task<(int Status, byte[] Body)> PostJsonAsync(
        HttpClient http,
        Uri url,
        byte[] json,
        IEnumerable<KeyValuePair<string, string>> headers,
        TimeSpan timeout,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(headers);
        using var deadline = new CancellationTokenSource(timeout, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            using var content = new ByteArrayContent(json);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
            foreach (var (name, value) in headers)
            {
                message.Headers.Add(name, value);
            }

            using var response = await http.SendAsync(message, linked.Token).ConfigureAwait(false);
            byte[] body = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            return ((int)response.StatusCode, body);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new HttpCallException(HttpFailure.Timeout, $"no answer within {timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException e)
        {
            // A rejected client certificate shows up (TLS 1.3) as a failed read carrying the server's alert.
            var chain = Chain(e).ToList();
            bool tls = chain.Any(x => x is AuthenticationException or CryptographicException);
            string reason = chain[^1].Message;
            throw tls
                ? new HttpCallException(HttpFailure.Tls, $"TLS failed: {reason}")
                : new HttpCallException(HttpFailure.Connection, reason);
        }
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            yield return x;
        }
    }
}
