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
                string why = WhyNotFree(e);
                var pause = RetryDelay.Next(interval, jitter(), waited, limit)
                    ?? throw new LockException(LockErrorKind.HeldByOther,
                        $"gave up waiting for lock '{lockName}' ({backend.Describe}) after {waited.TotalSeconds:0.#} s (lock_wait_timeout): it {why}",
                        e.Holders);

                // Said at INFO once per holder, pause or reason, not once per try (a wait can last hours); every try at DEBUG.
                log.Write(why == lastHolders ? LogLevel.Debug : LogLevel.Info,
                    $"lock '{lockName}' ({backend.Describe}) {why}; trying again every {interval.TotalSeconds:0.#} s");
                lastHolders = why;
                await Task.Delay(pause, clock, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>"is paused by ...", "is held by web-2", or the server's own reason when it named no holder; "another host" only when none.</summary>
    internal static string WhyNotFree(LockException e) =>
        e.Paused is { } paused ? $"is {paused}"
        : e.Holders.Count > 0 ? $"is held by {string.Join(", ", e.Holders)}"
        : e.ServerReason is { } said ? $"gave no slot (the server says {said})"
        : "is held by another host";
}
