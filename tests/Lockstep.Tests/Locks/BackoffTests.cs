using Lockstep.Locks;

namespace Lockstep.Tests.Locks;

/// <summary>The one jittered pause, as each retry uses it: the lock wait (20 %), PostgreSQL's reconnects (50 %) and etcd's lost races (100 %).</summary>
public sealed class BackoffTests
{
    [Theory]
    [InlineData(100, 0.0, 0.5, 50)]
    [InlineData(100, 0.5, 0.5, 100)]
    [InlineData(100, 1.0, 0.5, 150)]
    [InlineData(100, 0.0, 1.0, 0)]
    [InlineData(100, 1.0, 1.0, 200)]
    [InlineData(100, 0.25, 0.2, 90)]
    [InlineData(100, -1.0, 0.2, 80)] // out-of-range randomness is clamped
    [InlineData(100, 9.0, 0.2, 120)]
    public void A_pause_varies_by_the_spread_either_way(double nominal, double random, double spread, double expected) =>
        Backoff.Jittered(TimeSpan.FromMilliseconds(nominal), random, spread).TotalMilliseconds.ShouldBe(expected, 1e-9);

    [Theory]
    [InlineData(150, 1, 0.5, 0.5, 150)] // PostgreSQL: 150 ms times the attempt times 0.5 to 1.5
    [InlineData(150, 2, 0.0, 0.5, 150)]
    [InlineData(150, 3, 1.0, 0.5, 675)]
    [InlineData(2.5, 2, 1.0, 1.0, 10)] // etcd: 0 to 5 ms times the attempt
    [InlineData(2.5, 4, 0.0, 1.0, 0)]
    public void Pauses_grow_with_the_attempts(double step, int attempt, double random, double spread, double expected) =>
        Backoff.AfterAttempt(TimeSpan.FromMilliseconds(step), attempt, random, spread).TotalMilliseconds.ShouldBe(expected, 1e-9);
}
