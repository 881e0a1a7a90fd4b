namespace Lockstep.Tests.Support;

/// <summary>
/// Waits for a condition the test cannot be told about (a file another process writes, a request a
/// server receives), by polling. The limits are generous bounds for a loaded machine, never timings
/// a test asserts.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    /// <summary>Whether <paramref name="condition"/> held within <paramref name="limit"/>.</summary>
    public static bool Holds(Func<bool> condition, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                return condition();
            }

            Thread.Sleep(Poll);
        }

        return true;
    }

    /// <summary>Waits (at most <paramref name="limit"/>, 20 s unless told) until <paramref name="condition"/> holds; throws naming <paramref name="what"/> otherwise.</summary>
    public static void WaitFor(Func<bool> condition, string what, TimeSpan? limit = null)
    {
        var bound = limit ?? TimeSpan.FromSeconds(20);
        if (!Holds(condition, bound))
        {
            throw new TimeoutException($"gave up waiting for {what} after {bound.TotalSeconds:0} s");
        }
    }
}
