using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;

namespace Lockstep.Http;

/// <summary>
/// The HTTP client of one lock server (or one cluster's endpoints): the server's certificate
/// verified against <c>ca</c> or the system's CAs (<see cref="ServerCertificateCheck"/>), the
/// client certificate presented when given, no redirects or cookies, answers of at most 1 MiB, and
/// every call bounded as a whole (a hung server must not block the fleet). Failures are
/// <see cref="HttpCallException"/>s saying why in a few words; answers are returned uninterpreted.
/// </summary>
internal sealed class ServerClient : IDisposable
{
    public const int MaxAnswerBytes = 1 << 20;

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _clock;

    // Why the certificate of each host was last refused: the validation callback has no request to report to.
    private readonly ConcurrentDictionary<string, string> _certificateProblems;

    /// <summary>With the HTTP handler given (tests); certificates are the handler's business.</summary>
    public ServerClient(HttpMessageHandler handler, TimeSpan timeout, TimeProvider clock)
        : this(handler, timeout, clock, new(StringComparer.OrdinalIgnoreCase))
    {
    }

    private ServerClient(HttpMessageHandler handler, TimeSpan timeout, TimeProvider clock, ConcurrentDictionary<string, string> certificateProblems)
    {
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan, MaxResponseContentBufferSize = MaxAnswerBytes };
        _timeout = timeout;
        _clock = clock;
        _certificateProblems = certificateProblems;
    }

    /// <summary>A client for servers named in config: loads (and checks) the certificate files of <paramref name="tls"/> now.</summary>
    public static ServerClient Create(TlsFiles tls, TimeSpan timeout, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(tls);
        var client = tls.LoadClientCertificate();
        var roots = tls.LoadCa();
        var problems = new ConcurrentDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var ssl = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
            {
                string? problem = ServerCertificateCheck.Problem(certificate, chain, errors, roots, tls);
                if (problem is not null && sender is SslStream stream)
                {
                    problems[stream.TargetHostName] = problem;
                }

                return problem is null;
            },
        };
        if (client is not null)
        {
            ssl.ClientCertificateContext = SslStreamCertificateContext.Create(client, additionalCertificates: null, offline: true);
        }

        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = timeout > TimeSpan.Zero ? timeout : Timeout.InfiniteTimeSpan,
            SslOptions = ssl,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            AllowAutoRedirect = false,
            UseCookies = false,
        };
        return new ServerClient(handler, timeout, clock, problems);
    }

    /// <summary>
    /// Sends one request, with <paramref name="json"/> as its body when given, and returns the whole
    /// answer; throws <see cref="HttpCallException"/> when there is none within the timeout.
    /// </summary>
    public async Task<HttpAnswer> SendAsync(
        HttpMethod method, Uri url, byte[]? json, IEnumerable<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(headers);
        using var deadline = new CancellationTokenSource(_timeout > TimeSpan.Zero ? _timeout : Timeout.InfiniteTimeSpan, _clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        using var request = new HttpRequestMessage(method, url);
        if (json is not null)
        {
            request.Content = new ByteArrayContent(json) { Headers = { ContentType = Json } };
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        try
        {
            using var response = await _http.SendAsync(request, linked.Token).ConfigureAwait(false);
            byte[] body = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            return new HttpAnswer((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new HttpCallException(HttpFailure.Timeout, $"no answer within {_timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException e)
        {
            throw Explain(e, url);
        }
    }

    public void Dispose() => _http.Dispose();

    private HttpCallException Explain(HttpRequestException e, Uri url)
    {
        var chain = new List<Exception>();
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            chain.Add(x);
        }

        string cause = chain[^1].Message.TrimEnd('.');

        // A rejected client certificate shows up (TLS 1.3) as a failed read carrying the server's alert, not as a handshake error.
        if (chain.Any(x => x is AuthenticationException or CryptographicException))
        {
            _certificateProblems.TryRemove(url.IdnHost, out string? problem);
            return new HttpCallException(HttpFailure.Tls, cause, problem);
        }

        return e.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => new HttpCallException(HttpFailure.NameResolution, cause),
            HttpRequestError.ConfigurationLimitExceeded => new HttpCallException(HttpFailure.BadAnswer, $"the answer is larger than {MaxAnswerBytes} bytes"),
            HttpRequestError.InvalidResponse or HttpRequestError.HttpProtocolError or HttpRequestError.VersionNegotiationError
                => new HttpCallException(HttpFailure.BadAnswer, $"the answer is not valid HTTP ({cause})"),
            _ => new HttpCallException(HttpFailure.Connection, cause),
        };
    }
}
