using Lockstep.Http;

namespace Lockstep.Locks.Foreman;

/// <summary>
/// The DLM API's calls over HTTPS with the host's client certificate, the server verified against
/// <c>ca</c>, and a bound on the whole call (defect 2 of foreman_dlm_updater: no timeouts). Network
/// failures become <see cref="LockException"/>s naming the server; answers are returned uninterpreted.
/// </summary>
internal sealed class ForemanHttp(ForemanOptions settings, TimeSpan timeout, TimeProvider clock) : IDisposable
{
    private static readonly KeyValuePair<string, string>[] AcceptJson = [new("Accept", "application/json")];

    // The server answers 415 to a lock call without a JSON body.
    private static readonly byte[] EmptyJson = "{}"u8.ToArray();

    private readonly ServerClient _client = ServerClient.Create(settings.Tls, timeout, clock);
    private readonly string _base = settings.Url.GetLeftPart(UriPartial.Path).TrimEnd('/');

    /// <summary>"Foreman DLM at https://foreman.example.com", for messages.</summary>
    public string Server => $"Foreman DLM at {_base}";

    public Uri LockUrl(string lockName) =>
        new($"{_base}/api/dlmlocks/{Uri.EscapeDataString(lockName)}/lock");

    public async Task<HttpAnswer> SendAsync(HttpMethod method, Uri url, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.SendAsync(method, url, method == HttpMethod.Get ? null : EmptyJson, AcceptJson, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpCallException e)
        {
            throw Explain(e, $"{method} {url.AbsoluteUri}");
        }
    }

    public void Dispose() => _client.Dispose();

    private LockException Explain(HttpCallException e, string request) => HttpLockFailure.ToLockException(e, e.Failure switch
    {
        HttpFailure.Timeout => $"{Server} did not answer within {timeout.TotalSeconds:0.###} s ({request}); check the server, or raise http_timeout",
        HttpFailure.NameResolution => $"cannot resolve the host name of {Server} ({request}: {e.Cause}); check foreman_url and DNS",
        HttpFailure.Connection => $"cannot reach {Server} ({request}: {e.Cause}); check foreman_url, the network and that the server is up",
        HttpFailure.Tls when e.CertificateProblem is { } problem => $"refusing {Server}: {problem}",
        HttpFailure.Tls => $"the TLS handshake with {Server} failed ({request}: {e.Cause}); check client_crt, client_key and ca",
        _ => $"{request}: {e.Message}; check foreman_url and any proxy in front of Foreman",
    });
}
