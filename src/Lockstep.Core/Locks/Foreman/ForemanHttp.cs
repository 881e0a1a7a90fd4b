using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Lockstep.Locks.Foreman;

/// <summary>
/// One HTTPS call to the DLM API with the host's client certificate, the server verified against
/// <c>ca</c>, and a bound on the whole call (defect 2 of foreman_dlm_updater: no timeouts). Network
/// failures become <see cref="LockException"/>s naming the server; answers are returned uninterpreted.
/// </summary>
internal sealed class ForemanHttp : IDisposable
{
    private const int MaxBody = 1 << 20;
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _client;
    private readonly ForemanSettings _settings;
    private readonly TimeSpan _timeout;
    private readonly string _base;
    private string? _tlsProblem;

    public ForemanHttp(ForemanSettings settings, TimeSpan timeout)
    {
        _settings = settings;
        _timeout = timeout;
        _base = settings.BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificateContext = SslStreamCertificateContext.Create(settings.ClientCertificate, additionalCertificates: null, offline: true),
                RemoteCertificateValidationCallback = Validate,
            },
        };
        _client = new HttpClient(handler)
        {
            Timeout = timeout > TimeSpan.Zero ? timeout : Timeout.InfiniteTimeSpan,
            MaxResponseContentBufferSize = MaxBody,
        };
    }

    /// <summary>"Foreman DLM at https://foreman.example.com", for messages.</summary>
    public string Server => $"Foreman DLM at {_base}";

    public Uri LockUrl(string lockName) =>
        new($"{_base}/api/dlmlocks/{Uri.EscapeDataString(lockName)}/lock");

    public async Task<HttpAnswer> SendAsync(HttpMethod method, Uri url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (method != HttpMethod.Get)
        {
            // The server answers 415 to a lock call without this content type.
            request.Content = new ByteArrayContent("{}"u8.ToArray()) { Headers = { ContentType = Json } };
        }

        _tlsProblem = null;
        try
        {
            using var response = await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return new HttpAnswer((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, Encoding.UTF8.GetString(body));
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LockException(LockErrorKind.Unreachable,
                $"{Server} did not answer within {_timeout.TotalSeconds:0.###} s ({method} {url.AbsoluteUri}); check the server, or raise http_timeout");
        }
        catch (HttpRequestException e)
        {
            throw Explain(e, $"{method} {url.AbsoluteUri}");
        }
    }

    public void Dispose() => _client.Dispose();

    private LockException Explain(HttpRequestException e, string request)
    {
        string cause = Innermost(e);
        return e.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => new LockException(LockErrorKind.Unreachable,
                $"cannot resolve the host name of {Server} ({request}: {cause}); check foreman_url and DNS"),
            HttpRequestError.ConnectionError or HttpRequestError.ResponseEnded => new LockException(LockErrorKind.Unreachable,
                $"cannot reach {Server} ({request}: {cause}); check foreman_url, the network and that the server is up"),
            HttpRequestError.SecureConnectionError when _tlsProblem is not null => new LockException(LockErrorKind.Protocol,
                $"refusing {Server}: {_tlsProblem}"),
            HttpRequestError.SecureConnectionError => new LockException(LockErrorKind.Protocol,
                $"the TLS handshake with {Server} failed ({request}: {cause}); check client_crt, client_key and ca"),
            HttpRequestError.ConfigurationLimitExceeded => new LockException(LockErrorKind.Protocol,
                $"{request}: the answer is larger than {MaxBody} bytes; check foreman_url and any proxy in front of Foreman"),
            HttpRequestError.Unknown => new LockException(LockErrorKind.Unreachable,
                $"cannot reach {Server} ({request}: {cause}); check foreman_url and the network"),
            _ => new LockException(LockErrorKind.Protocol,
                $"{request}: the server's answer is not valid HTTP ({cause}); check foreman_url and any proxy in front of Foreman"),
        };
    }

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        _tlsProblem = ServerCertificateCheck.Problem(certificate, chain, errors, _settings.Authorities, _settings.CaPath);
        return _tlsProblem is null;
    }

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e.Message.TrimEnd('.');
    }
}
