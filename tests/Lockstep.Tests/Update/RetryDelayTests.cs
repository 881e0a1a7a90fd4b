using Lockstep.Update;

namespace Lockstep.Tests.Update;

public sealed class RetryDelayTests
{
    [Theory]
    [InlineData(60, 0.0, 48)]
    [InlineData(60, 0.5, 60)]
    [InlineData(60, 1.0, 72)]
    [InlineData(10, 0.25, 9)]
    [InlineData(60, -3.0, 48)] // out-of-range randomness is clamped
    [InlineData(60, 7.0, 72)]
    public void Jitter_spreads_the_interval_by_twenty_percent_either_way(double interval, double random, double expected) =>
        RetryDelay.WithJitter(TimeSpan.FromSeconds(interval), random).TotalSeconds.ShouldBe(expected, 1e-9);

    [Theory]
    [InlineData(60.0, 0.5, 0.0, null, 60.0)] // no limit: wait forever
    [InlineData(60.0, 0.5, 1000000.0, null, 60.0)]
    [InlineData(60.0, 0.5, 0.0, 300.0, 60.0)]
    [InlineData(60.0, 0.5, 270.0, 300.0, 30.0)] // the last pause ends exactly at the limit
    [InlineData(60.0, 1.0, 299.0, 300.0, 1.0)]
    [InlineData(60.0, 0.5, 300.0, 300.0, null)] // limit reached: give up
    [InlineData(60.0, 0.5, 301.0, 300.0, null)]
    public void The_next_pause_never_goes_past_the_wait_limit(double interval, double random, double waited, double? limit, double? expected)
    {
        var next = RetryDelay.Next(TimeSpan.FromSeconds(interval), random, TimeSpan.FromSeconds(waited), limit is { } l ? TimeSpan.FromSeconds(l) : null);

        next?.TotalSeconds.ShouldBe(expected!.Value, 1e-9);
        (next is null).ShouldBe(expected is null);
    }
}
