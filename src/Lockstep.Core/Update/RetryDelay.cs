using Lockstep.Locks;

namespace Lockstep.Update;

/// <summary>The pause between tries for a lock another host holds. Pure, so it is tested with tables of cases.</summary>
public static class RetryDelay
{
    /// <summary>Pauses vary by up to this fraction either way, so hosts started together do not retry together.</summary>
    public const double JitterFraction = 0.2;

    /// <summary><paramref name="interval"/> scaled by a factor between 0.8 and 1.2 chosen by <paramref name="random"/> (0 to 1).</summary>
    public static TimeSpan WithJitter(TimeSpan interval, double random) => Backoff.Jittered(interval, random, JitterFraction);

    /// <summary>
    /// The next pause after waiting <paramref name="waited"/> so far, or null to give up: never past
    /// <paramref name="limit"/> (null waits forever), so the last try falls exactly at the limit.
    /// </summary>
    public static TimeSpan? Next(TimeSpan interval, double random, TimeSpan waited, TimeSpan? limit)
    {
        var pause = WithJitter(interval, random);
        if (limit is not { } max)
        {
            return pause;
        }

        var left = max - waited;
        return left <= TimeSpan.Zero ? null : pause < left ? pause : left;
    }
}
