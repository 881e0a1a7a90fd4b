namespace Lockstep.Locks;

/// <summary>
/// The one jittered pause of Lockstep's retries (a lock held elsewhere, a lost compare-and-swap, a
/// restarted server): pauses vary at random around their nominal length, so hosts that failed
/// together do not retry together. Pure, so it is tested with tables.
/// </summary>
public static class Backoff
{
    /// <summary><paramref name="nominal"/> scaled by a factor from 1 - <paramref name="spread"/> to 1 + <paramref name="spread"/>, chosen by <paramref name="random"/> (0 to 1).</summary>
    public static TimeSpan Jittered(TimeSpan nominal, double random, double spread)
    {
        double clamped = Math.Clamp(random, 0, 1);
        return nominal * (1 - spread + (2 * spread * clamped));
    }

    /// <summary>The pause before try <paramref name="attempt"/> + 1: growing linearly with the attempts, jittered by <paramref name="spread"/>.</summary>
    public static TimeSpan AfterAttempt(TimeSpan step, int attempt, double random, double spread) =>
        Jittered(step * attempt, random, spread);
}
