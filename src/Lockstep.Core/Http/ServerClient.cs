using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
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
            ConnectCallback = ConnectAsync,
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
        var content = json is null ? null : new SentContent(json) { Headers = { ContentType = Json } };
        request.Content = content;

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
            bool sent = content?.Sent == true;
            throw new HttpCallException(HttpFailure.Timeout, $"no answer within {_timeout.TotalSeconds:0.###} s{(sent ? " after the request was sent" : "")}")
            {
                RequestSent = sent,
            };
        }
        catch (HttpRequestException e)
        {
            throw Explain(e, url, content?.Sent == true);
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// Connects as the handler would, but puts <see cref="TlsAnswerCheck"/> under an https://
    /// request's TLS, so that a plain-HTTP server is named as such.
    /// </summary>
    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var stream = new NetworkStream(socket, ownsSocket: true);
        return context.InitialRequestMessage.RequestUri?.Scheme == Uri.UriSchemeHttps ? new TlsAnswerCheck(stream) : stream;
    }

    private HttpCallException Explain(HttpRequestException e, Uri url, bool sent)
    {
        var chain = new List<Exception>();
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            chain.Add(x);
        }

        string cause = chain[^1].Message.TrimEnd('.');
        if (chain.OfType<NotTlsException>().FirstOrDefault() is { } notTls)
        {
            return new HttpCallException(
                HttpFailure.NotTls, notTls.Closed ? $"the server closed the connection at the TLS handshake: it {HttpCallException.NotTls}" : $"the server {HttpCallException.NotTls}");
        }

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
            _ => sent
                ? new HttpCallException(HttpFailure.Connection, $"the connection closed after the request was sent ({cause})") { RequestSent = true }
                : new HttpCallException(HttpFailure.Connection, cause),
        };
    }

    /// <summary>A JSON body that records when it was written whole to the connection: from then on the server may act on it.</summary>
    private sealed class SentContent(byte[] json) : HttpContent
    {
        private volatile bool _sent;

        public bool Sent => _sent;

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await stream.WriteAsync(json, cancellationToken).ConfigureAwait(false);
            _sent = true;
        }

        protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            stream.Write(json);
            _sent = true;
        }

        protected override bool TryComputeLength(out long length)
        {
            length = json.Length;
            return true;
        }
    }
}
