using System.Net.Sockets;
using System.Text;

namespace Lockstep.Tests.Support;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of a plaintext PostgreSQL server that passes the first
/// <c>COMMIT</c> it sees on to the server, lets the server carry it out, and then hangs up on the
/// client without its answer, and from then on refuses every connection: a client whose
/// transaction committed and who cannot know it, and cannot reach the server again to ask.
/// </summary>
public sealed class CommitDroppingProxy(int upstreamPort) : TcpProxy(upstreamPort)
{
    private static readonly byte[] Commit = Encoding.ASCII.GetBytes("COMMIT\0");

    private int _dropped;

    /// <summary>Whether a COMMIT was passed on and its answer withheld.</summary>
    public bool Dropped => Volatile.Read(ref _dropped) == 1;

    protected override async Task PumpAsync(NetworkStream from, NetworkStream to, bool toServer, CancellationToken ct)
    {
        byte[] buffer = new byte[16384];
        while (true)
        {
            int n = await from.ReadAsync(buffer, ct);
            if (n == 0 || (!toServer && Dropped))
            {
                return;
            }

            // Marked before it is passed on: the server's answer may be back before the write returns,
            // and the other direction must already know to withhold it.
            bool commit = toServer && buffer.AsSpan(0, n).IndexOf(Commit) >= 0 && Interlocked.Exchange(ref _dropped, 1) == 0;
            await to.WriteAsync(buffer.AsMemory(0, n), ct);
            if (commit)
            {
                // No more connections, and this one ends once the server has had time to commit.
                StopListening();
                await Task.Delay(500, ct);
                return;
            }
        }
    }
}
