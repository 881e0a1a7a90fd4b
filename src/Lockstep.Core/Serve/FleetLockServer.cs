using System.Globalization;
using System.Net;
using System.Security.Authentication;
using System.Text;
using Lockstep.Locks;
using Lockstep.Locks.FleetLock;
using Lockstep.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Lockstep.Serve;

/// <summary>
/// FleetLock over HTTP(S) on Kestrel (docs/serve.md says why Kestrel): the two lock endpoints,
/// <c>/metrics</c>, <c>/-/healthy</c> and <c>/-/ready</c>. No routing, model binding or
/// configuration sources: one request delegate, so the server stays NativeAOT-clean.
/// </summary>
public sealed class FleetLockServer : IAsyncDisposable
{
    /// <summary>A FleetLock body is under 200 bytes; anything much larger is not one.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    private static readonly TimeSpan HeadersTimeout = TimeSpan.FromSeconds(10);

    private readonly WebApplication _app;
    private readonly ServeOptions _options;
    private readonly ServeStore _store;
    private readonly ServerCertificates? _certificates;
    private readonly FleetLockService _service;
    private readonly ServeMetrics _metrics;
    private readonly ILog _log;

    private FleetLockServer(ServeOptions options, ServeStore store, ServerCertificates? certificates, ILog log, TimeProvider clock)
    {
        _options = options;
        _store = store;
        _certificates = certificates;
        _log = log;
        _metrics = new ServeMetrics();
        _service = new FleetLockService(options, store, _metrics, log, clock);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(Configure);
        _app = builder.Build();
        ((IApplicationBuilder)_app).Run(HandleAsync);
    }

    /// <summary>Binds the listen address and starts serving; throws <see cref="IOException"/> when it cannot listen.</summary>
    public static async Task<FleetLockServer> StartAsync(ServeOptions options, ServeStore store, ServerCertificates? certificates, ILog log, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var server = new FleetLockServer(options, store, certificates, log, clock);
        try
        {
            await server._app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return server;
    }

    /// <summary>Stops accepting, lets requests under way finish (a few seconds at most), and closes.</summary>
    public async Task StopAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(grace.Token).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private void Configure(KestrelServerOptions kestrel)
    {
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestBodySize = MaxBodyBytes;
        kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
        kestrel.Limits.MaxRequestLineSize = 8 * 1024;
        kestrel.Limits.MaxRequestHeaderCount = 64;
        kestrel.Limits.RequestHeadersTimeout = HeadersTimeout;
        kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(120);
        kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(5));
        kestrel.Listen(_options.Listen, listen =>
        {
            if (_certificates is not { } certificates)
            {
                listen.Protocols = HttpProtocols.Http1;
                return;
            }

            listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                // Read on every handshake, so a SIGHUP's new certificate serves the next connection.
                ServerCertificateSelector = (_, _) => certificates.Certificate,
                SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                HandshakeTimeout = HeadersTimeout,
                // Asked for, not required: a client without one gets a 403 with a FleetLock body
                // rather than a failed handshake; the chain and the id are checked per request.
                ClientCertificateMode = _options.ClientCa is null ? ClientCertificateMode.NoCertificate : ClientCertificateMode.AllowCertificate,
                ClientCertificateValidation = static (_, _, _) => true,
            });
        });
    }

    private async Task HandleAsync(HttpContext context)
    {
        switch (context.Request.Path.Value)
        {
            case FleetLockService.PreRebootPath:
                await LockCallAsync(context, FleetLockCall.PreReboot).ConfigureAwait(false);
                break;
            case FleetLockService.SteadyStatePath:
                await LockCallAsync(context, FleetLockCall.SteadyState).ConfigureAwait(false);
                break;
            case "/metrics" when HttpMethods.IsGet(context.Request.Method):
                await WriteTextAsync(context, 200, _metrics.Render(_options.Groups, await ReadGroupsAsync(context.RequestAborted).ConfigureAwait(false)), "text/plain; version=0.0.4; charset=utf-8").ConfigureAwait(false);
                break;
            case "/-/healthy" when HttpMethods.IsGet(context.Request.Method):
                await WriteTextAsync(context, 200, "healthy\n").ConfigureAwait(false);
                break;
            case "/-/ready" when HttpMethods.IsGet(context.Request.Method):
                var stored = await ReadGroupsAsync(context.RequestAborted).ConfigureAwait(false);
                bool ready = stored.Count == _options.Groups.Count;
                await WriteTextAsync(context, ready ? 200 : 503, ready ? "ready\n" : $"not ready: {NotAnswered(stored)}\n").ConfigureAwait(false);
                break;
            default:
                await WriteAnswerAsync(context, ServeAnswer.Error(404, ServeAnswer.NotFound, $"no such endpoint; FleetLock's are POST {FleetLockService.PreRebootPath} and POST {FleetLockService.SteadyStatePath}")).ConfigureAwait(false);
                break;
        }

        string NotAnswered(IReadOnlyDictionary<string, LockState> answered) =>
            $"the lock store did not answer for group(s) {string.Join(", ", _options.Groups.Keys.Where(g => !answered.ContainsKey(g)))} (the server's log says why)";
    }

    private async Task LockCallAsync(HttpContext context, FleetLockCall call)
    {
        string endpoint = FleetLockService.Endpoint(call);
        string peer = Peer(context);
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.Headers.Allow = "POST";
            await RefuseAsync(context, endpoint, peer, ServeAnswer.Error(405, ServeAnswer.MethodNotAllowed, $"{context.Request.Method} is not a FleetLock call; use POST")).ConfigureAwait(false);
            return;
        }

        var (body, refusal) = await ReadBodyAsync(context).ConfigureAwait(false);
        if (refusal is not null)
        {
            await RefuseAsync(context, endpoint, peer, refusal).ConfigureAwait(false);
            return;
        }

        var answer = await _service.HandleAsync(
            call, context.Request.Headers[FleetLockProtocol.Header].ToString() is { Length: > 0 } h ? h : null, body,
            context.Connection.ClientCertificate, _certificates?.ClientCa, peer, context.RequestAborted).ConfigureAwait(false);
        await WriteAnswerAsync(context, answer).ConfigureAwait(false);
    }

    private async Task RefuseAsync(HttpContext context, string endpoint, string peer, ServeAnswer refusal)
    {
        _log.Warn($"{peer} {endpoint}: {refusal.Kind}: {refusal.Value}");
        _metrics.CountRequest(endpoint, refusal.Result);
        await WriteAnswerAsync(context, refusal).ConfigureAwait(false);
    }

    /// <summary>The body, at most <see cref="MaxBodyBytes"/>, read within <c>request_timeout</c>; else the answer that refuses it.</summary>
    private async Task<(byte[] Body, ServeAnswer? Refusal)> ReadBodyAsync(HttpContext context)
    {
        var tooLarge = ServeAnswer.Error(413, ServeAnswer.RequestTooLarge, $"a FleetLock body is at most {MaxBodyBytes} bytes");
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return ([], tooLarge);
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        bounded.CancelAfter(_options.RequestTimeout);
        var buffer = new byte[MaxBodyBytes + 1];
        int length = 0;
        try
        {
            int read;
            while (length < buffer.Length && (read = await context.Request.Body.ReadAsync(buffer.AsMemory(length), bounded.Token).ConfigureAwait(false)) > 0)
            {
                length += read;
            }
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ([], tooLarge);
        }
        catch (Exception e) when (e is Microsoft.AspNetCore.Http.BadHttpRequestException || (e is OperationCanceledException && !context.RequestAborted.IsCancellationRequested))
        {
            // Kestrel's minimum body data rate (240 bytes/s after 5 s) or our request_timeout, whichever comes first.
            return ([], ServeAnswer.Error(408, ServeAnswer.RequestTimeout, $"the body did not arrive in time (request_timeout {_options.RequestTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s)"));
        }

        return length > MaxBodyBytes ? ([], tooLarge) : (buffer[..length], null);
    }

    /// <summary>Each group's state in the store, read at once under <c>request_timeout</c>; a group whose read fails is left out and logged.</summary>
    private async Task<IReadOnlyDictionary<string, LockState>> ReadGroupsAsync(CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(_options.RequestTimeout);
        var reads = _options.Groups.Keys.Select(async group =>
        {
            try
            {
                return (group, await _store.InspectAsync(group, bounded.Token).ConfigureAwait(false));
            }
            catch (Exception e) when (e is LockException or OperationCanceledException)
            {
                _metrics.CountStoreError();
                _log.Error($"group {group}: {(e is LockException ? e.Message : $"{_store.Describe} did not answer within {_options.RequestTimeout.TotalSeconds:0.###} s")}");
                return (group, (LockState?)null);
            }
        }).ToList();
        var results = await Task.WhenAll(reads).ConfigureAwait(false);
        return results.Where(r => r.Item2 is not null).ToDictionary(r => r.group, r => r.Item2!, StringComparer.Ordinal);
    }

    private static string Peer(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address ? new IPEndPoint(address, context.Connection.RemotePort).ToString() : "unknown peer";

    private static async Task WriteAnswerAsync(HttpContext context, ServeAnswer answer)
    {
        context.Response.StatusCode = answer.Status;
        if (answer.Kind is null)
        {
            context.Response.ContentLength = 0;
            return;
        }

        byte[] body = [.. answer.Body(), (byte)'\n'];
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task WriteTextAsync(HttpContext context, int status, string text, string contentType = "text/plain; charset=utf-8")
    {
        byte[] body = Encoding.UTF8.GetBytes(text);
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
