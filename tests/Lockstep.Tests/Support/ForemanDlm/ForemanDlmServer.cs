using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lockstep.Tests.Support.ForemanDlm;

/// <summary>One request as the server saw it.</summary>
public sealed record DlmRequest(string Method, string Target, string? ContentType, string? Host);

/// <summary>
/// A Foreman DLM server for tests (README "Foreman DLM"): HTTPS on 127.0.0.1 with a dynamic port, hosts
/// authenticated by client certificates from its own CA (<see cref="CaPemPath"/>,
/// <see cref="ClientCertFor"/>). Knobs change the locks and hosts, or make it misbehave as a
/// broken proxy or a hung server would.
/// </summary>
public sealed partial class ForemanDlmServer : IDisposable
{
    private readonly TempDir _files = new();
    private readonly TestCertificateAuthority _authority;
    private readonly ConcurrentQueue<DlmRequest> _requests = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private DateTimeOffset _now = new(2025, 1, 6, 8, 0, 0, TimeSpan.Zero);
    private (int Status, string ContentType, string Body)? _fixedAnswer;
    private bool _hang;

    private ForemanDlmServer()
    {
        _authority = new TestCertificateAuthority("foreman", _files.Path);
        Locks = new DlmLockTable(() => { lock (_gate) { return _now; } });
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = _files.Path });
        builder.Logging.ClearProviders();
        var serverCertificate = _authority.IssueServer();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = serverCertificate,
            ClientCertificateMode = ClientCertificateMode.AllowCertificate,
            // Foreman checks the certificate itself and answers 401, rather than failing the handshake.
            ClientCertificateValidation = (_, _, _) => true,
        })));
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    /// <summary>The base URL, e.g. https://127.0.0.1:41234 (what <c>foreman_url</c> is set to).</summary>
    public string Url { get; private set; } = "";

    /// <summary>The server's CA as a PEM file (what <c>ca</c> points at).</summary>
    public string CaPemPath => _authority.PemPath;

    /// <summary>Where the server's PEM files are; tests may put their config files here too.</summary>
    public string Directory => _files.Path;

    /// <summary>The lock table, to read a lock or change it behind the clients' backs.</summary>
    public DlmLockTable Locks { get; }

    public IReadOnlyList<DlmRequest> Requests => [.. _requests];

    public static ForemanDlmServer Start()
    {
        var server = new ForemanDlmServer();
        server._app.StartAsync().GetAwaiter().GetResult();
        var addresses = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        server.Url = addresses.Addresses.Single().TrimEnd('/');
        return server;
    }

    /// <summary>A client certificate for a host Foreman knows: (client_crt path, client_key path).</summary>
    public (string CertPath, string KeyPath) ClientCertFor(string hostName) => _authority.IssueClient(hostName);

    /// <summary>
    /// Writes a config.ini for <paramref name="hostName"/> using this server (backend, foreman_url,
    /// client_crt, client_key, ca, lock_name, holder_id), with <paramref name="extraMain"/> lines added
    /// to [main]; returns its path.
    /// </summary>
    public string WriteConfig(string hostName, string lockName = "updates", string extraMain = "")
    {
        var (cert, key) = ClientCertFor(hostName);
        string path = Path.Combine(Directory, $"{hostName}-{Guid.NewGuid():N}.ini");
        File.WriteAllText(path, $"""
            [main]
            backend = foreman
            foreman_url = {Url}
            client_crt = {cert}
            client_key = {key}
            ca = {CaPemPath}
            lock_name = {lockName}
            holder_id = {hostName}
            {extraMain}

            """);
        return path;
    }

    /// <summary>The host may no longer take or give back locks (412).</summary>
    public void Forbid(string hostName) => Locks.Forbid(hostName);

    public void Disable(string lockName) => Locks.SetEnabled(lockName, false);

    public void Enable(string lockName) => Locks.SetEnabled(lockName, true);

    /// <summary>Makes <paramref name="hostName"/> (or nobody) the holder, creating the lock if needed.</summary>
    public void SetHolder(string lockName, string? hostName) => Locks.SetHolder(lockName, hostName);

    public string? HolderOf(string lockName) => Locks.Find(lockName)?.Holder;

    /// <summary>Moves the server's clock (created_at, updated_at) forward.</summary>
    public void Advance(TimeSpan by)
    {
        lock (_gate)
        {
            _now += by;
        }
    }

    /// <summary>Every request gets this answer, as from a broken proxy (e.g. 502 text/html).</summary>
    public void AnswerEverythingWith(int status, string contentType, string body) => _fixedAnswer = (status, contentType, body);

    /// <summary>Every request is accepted and never answered, until the client gives up.</summary>
    public void NeverAnswer() => _hang = true;

    /// <summary>Back to the DLM API after <see cref="AnswerEverythingWith"/> or <see cref="NeverAnswer"/>.</summary>
    public void AnswerNormally()
    {
        _fixedAnswer = null;
        _hang = false;
    }

    public void Dispose()
    {
        _stopping.Cancel();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            _app.StopAsync(timeout.Token).GetAwaiter().GetResult();
        }

        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _authority.Dispose();
        _stopping.Dispose();
        _files.Dispose();
    }
}
