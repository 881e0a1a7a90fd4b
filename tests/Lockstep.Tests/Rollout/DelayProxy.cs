using System.Net.Sockets;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.Rollout;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of an engine's port that holds back every chunk it passes on
/// by <see cref="Delay"/>: the engine as a slow network or an overloaded server shows it. A client
/// whose upstream cannot be reached (the engine is down) is disconnected at once.
/// </summary>
public sealed class DelayProxy(int upstreamPort) : TcpProxy(upstreamPort)
{
    private long _delayTicks;

    public TimeSpan Delay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _delayTicks));
        set => Interlocked.Exchange(ref _delayTicks, value.Ticks);
    }

    protected override async Task PumpAsync(NetworkStream from, NetworkStream to, bool toServer, CancellationToken ct)
    {
        byte[] buffer = new byte[16384];
        while (true)
        {
            int n = await from.ReadAsync(buffer, ct);
            if (n == 0)
            {
                return;
            }

            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, ct);
            }

            await to.WriteAsync(buffer.AsMemory(0, n), ct);
        }
    }
}
