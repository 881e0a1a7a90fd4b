using Lockstep.Locks;
using Lockstep.Logging;

namespace Lockstep.Update;

/// <summary>
/// Takes a lock, waiting while other hosts hold it: tries every retry interval (with jitter) until
/// the wait limit. Any other failure (refused, unreachable, protocol) is thrown at once: waiting
/// would not fix it.
/// </summary>
public sealed class LockWaiter(ILockBackend backend, TimeProvider clock, Func<double> jitter, ILog log)
{
    /// <summary>
    /// Returns how long it waited, or null when <paramref name="mayTry"/> (asked before every try
    /// after the first) said to stop, as when a maintenance window closes during the wait.
    /// </summary>
    public async Task<TimeSpan?> AcquireAsync(string lockName, string holderId, TimeSpan interval, TimeSpan? limit, CancellationToken cancellationToken, Func<bool>? mayTry = null)
    {
        ArgumentNullException.ThrowIfNull(lockName);
        long start = clock.GetTimestamp();
        string? lastHolders = null;
        while (true)
        {
            if (lastHolders is not null && mayTry?.Invoke() == false)
            {
                return null;
            }

            try
            {
                await backend.AcquireAsync(lockName, holderId, cancellationToken).ConfigureAwait(false);
                var waited = clock.GetElapsedTime(start);
                if (lastHolders is not null)
                {
                    log.Info($"lock '{lockName}' acquired after waiting {waited.TotalSeconds:0.#} s");
                }

                return waited;
            }
            catch (LockException e) when (e.Kind == LockErrorKind.HeldByOther)
            {
                var waited = clock.GetElapsedTime(start);
                string holders = e.Holders.Count > 0 ? string.Join(", ", e.Holders) : "another host";
                string why = e.Paused ?? $"held by {holders}";
                var pause = RetryDelay.Next(interval, jitter(), waited, limit)
                    ?? throw new LockException(LockErrorKind.HeldByOther,
                        $"gave up waiting for lock '{lockName}' ({backend.Describe}) after {waited.TotalSeconds:0.#} s (lock_wait_timeout): it is {why}",
                        e.Holders);

                // Said once per holder (or pause), not once per try: a wait can last hours.
                log.Write(why == lastHolders ? LogLevel.Debug : LogLevel.Info,
                    $"lock '{lockName}' ({backend.Describe}) is {why}; trying again every {interval.TotalSeconds:0.#} s");
                lastHolders = why;
                await Task.Delay(pause, clock, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
