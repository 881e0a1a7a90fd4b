using System.Net;
using System.Net.Sockets;

namespace Lockstep.Tests.Support;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of a server's port: each connection is passed on to the
/// server, and what flows either way goes through <see cref="PumpAsync"/>, which the kinds of
/// proxy shape (delayed, cut after a message). A client whose upstream cannot be reached is
/// disconnected at once.
/// </summary>
public abstract class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    protected TcpProxy(int upstreamPort)
    {
        _upstreamPort = upstreamPort;
        _listener.Start(512);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Refuses every connection from now on.</summary>
    protected void StopListening() => _listener.Stop();

    /// <summary>Passes what <paramref name="from"/> sends on to <paramref name="to"/> until either side ends; <paramref name="toServer"/> says which way.</summary>
    protected abstract Task PumpAsync(NetworkStream from, NetworkStream to, bool toServer, CancellationToken ct);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, _upstreamPort, _stop.Token);
                using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                var toServer = Guarded(PumpAsync(client.GetStream(), upstream.GetStream(), toServer: true, done.Token));
                var toClient = Guarded(PumpAsync(upstream.GetStream(), client.GetStream(), toServer: false, done.Token));
                await Task.WhenAny(toServer, toClient);
                await done.CancelAsync();
                await Task.WhenAll(toServer, toClient);
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    private static async Task Guarded(Task pump)
    {
        try
        {
            await pump;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}
