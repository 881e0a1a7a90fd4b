using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Lockstep.Tests.Support;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of a plaintext PostgreSQL server that passes the first
/// <c>COMMIT</c> it sees on to the server, lets the server carry it out, and then hangs up on the
/// client without its answer, and from then on refuses every connection: a client whose
/// transaction committed and who cannot know it, and cannot reach the server again to ask.
/// </summary>
public sealed class CommitDroppingProxy : IAsyncDisposable
{
    private static readonly byte[] Commit = Encoding.ASCII.GetBytes("COMMIT\0");

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _dropped;

    public CommitDroppingProxy(int upstreamPort)
    {
        _upstreamPort = upstreamPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Whether a COMMIT was passed on and its answer withheld.</summary>
    public bool Dropped => Volatile.Read(ref _dropped) == 1;

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
    }

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
                var toServer = PumpAsync(client.GetStream(), upstream.GetStream(), watch: true, done.Token);
                var toClient = PumpAsync(upstream.GetStream(), client.GetStream(), watch: false, done.Token);
                await Task.WhenAny(toServer, toClient);
                await done.CancelAsync();
                await Task.WhenAll(toServer, toClient);
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool watch, CancellationToken ct)
    {
        byte[] buffer = new byte[16384];
        try
        {
            while (true)
            {
                int n = await from.ReadAsync(buffer, ct);
                if (n == 0 || (!watch && Dropped))
                {
                    return;
                }

                await to.WriteAsync(buffer.AsMemory(0, n), ct);
                if (watch && buffer.AsSpan(0, n).IndexOf(Commit) >= 0 && Interlocked.Exchange(ref _dropped, 1) == 0)
                {
                    // No more connections, and this one ends once the server has had time to commit.
                    _listener.Stop();
                    await Task.Delay(500, ct);
                    return;
                }
            }
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}
