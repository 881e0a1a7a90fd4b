using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Lockstep.Tests.Support;

/// <summary>What <see cref="UnansweringProxy"/> does once it has passed a chosen request on.</summary>
public enum Unanswered
{
    /// <summary>Keeps the connection open and never answers (a server stuck after it acted).</summary>
    Hang,

    /// <summary>Closes the connection without an answer (a server or network that died after it acted).</summary>
    Close,
}

/// <summary>
/// An HTTP proxy on 127.0.0.1 in front of a real server: passes every request on and its answer
/// back, except that requests to a path ending in <c>swallowed</c> are passed on (the server acts
/// on them) and then never answered, or answered by closing the connection: the client sent its
/// request and cannot know what became of it.
/// </summary>
public sealed class UnansweringProxy : IAsyncDisposable
{
    private static readonly string[] Passed = ["fleet-lock-protocol", "Accept"];

    private readonly WebApplication _app;
    private readonly HttpClient _upstream = new();
    private readonly CancellationTokenSource _stop = new();

    private UnansweringProxy(WebApplication app) => _app = app;

    /// <summary>The proxy's base URL: the upstream's path under http://127.0.0.1:PORT.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>How many requests were passed on and left unanswered.</summary>
    public int Swallowed => _swallowed;

    private int _swallowed;

    /// <summary>
    /// Waits until the server has acted on a swallowed request: a client that gave up at its
    /// timeout may be back before a busy server has answered the proxy.
    /// </summary>
    public void WaitUntilSwallowed() => Eventually.WaitFor(() => Swallowed > 0, "the proxy to pass the request on and get the server's answer");

    public static async Task<UnansweringProxy> StartAsync(Uri upstream, string swallowed, Unanswered mode)
    {
        UnansweringProxy? proxy = null;
        var (app, address) = await LocalWebServer.StartAsync(context => proxy!.HandleAsync(context, upstream, swallowed, mode));
        proxy = new UnansweringProxy(app) { Url = new Uri(new Uri(address), upstream.AbsolutePath) };
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
        _stop.Dispose();
    }

    private async Task HandleAsync(HttpContext context, Uri upstream, string swallowed, Unanswered mode)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var target = new Uri(upstream, context.Request.Path.Value + context.Request.QueryString.Value);
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), target);
        if (body.Length > 0)
        {
            request.Content = new ByteArrayContent(body.ToArray());
            if (context.Request.ContentType is { } type)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
            }
        }

        foreach (string name in Passed)
        {
            if (context.Request.Headers.TryGetValue(name, out var values))
            {
                request.Headers.TryAddWithoutValidation(name, values.ToString());
            }
        }

        using var answer = await _upstream.SendAsync(request);
        byte[] answerBody = await answer.Content.ReadAsByteArrayAsync();
        if (context.Request.Path.Value?.EndsWith(swallowed, StringComparison.Ordinal) == true)
        {
            Interlocked.Increment(ref _swallowed);
            if (mode == Unanswered.Close)
            {
                context.Abort();
                return;
            }

            using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stop.Token);
            await Task.Delay(Timeout.Infinite, either.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            context.Abort();
            return;
        }

        context.Response.StatusCode = (int)answer.StatusCode;
        if (answer.Content.Headers.ContentType is { } contentType)
        {
            context.Response.ContentType = contentType.ToString();
        }

        await context.Response.Body.WriteAsync(answerBody);
    }
}
