namespace Lockstep.Processes;

/// <summary>
/// The operator asking the run to stop (INT, TERM or HUP): which signal came first, and a token
/// cancelled when it came. Core code is handed one instead of reading process-wide state, so the
/// interrupt paths can be driven by a test; the CLI hands over <see cref="SignalForwarder.Stop"/>.
/// </summary>
public sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private int _received;

    /// <summary>The first signal raised, or 0 while the run may go on.</summary>
    public int Received => Volatile.Read(ref _received);

    /// <summary>Whether a stop was asked for.</summary>
    public bool Requested => Received > 0;

    /// <summary>Cancelled when a stop is asked for, to end waits that run no process (a lock wait).</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Records <paramref name="signal"/> unless a signal came before, and cancels <see cref="Token"/>.</summary>
    public void Raise(int signal)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(signal);
        if (Interlocked.CompareExchange(ref _received, signal, 0) == 0)
        {
            _source.Cancel();
        }
    }

    public void Dispose() => _source.Dispose();
}
