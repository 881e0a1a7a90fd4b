using System.Globalization;

namespace Lockstep.Update;

/// <summary>
/// The test hook <c>LOCKSTEP_TEST_CLOCK=INSTANT</c> (README, "Maintenance windows"): the run's
/// clock starts at INSTANT (ISO 8601 with an offset) and runs at real speed, except that a wait
/// for a maintenance window to open jumps the clock forward instead of sleeping. Timers, timeouts
/// and lock retries still take real time. Unset, Lockstep uses the system clock.
/// </summary>
public sealed class TestClock : TimeProvider
{
    public const string EnvironmentVariable = "LOCKSTEP_TEST_CLOCK";

    private readonly Lock _gate = new();
    private readonly long _started = System.GetTimestamp();
    private DateTimeOffset _start;

    private TestClock(DateTimeOffset start) => _start = start;

    /// <summary>The clock the variable asks for, null when unset; throws <see cref="FormatException"/> for a value that is not an instant.</summary>
    public static TestClock? FromEnvironment(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start)
            ? new TestClock(start)
            : throw new FormatException($"{EnvironmentVariable}='{value}' is not an instant; write it as 2026-03-29T00:30:00Z");
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _start.ToUniversalTime() + System.GetElapsedTime(_started);
        }
    }

    /// <summary>Moves the clock to <paramref name="instant"/> at once (never back).</summary>
    public Task SkipTo(DateTimeOffset instant, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var now = _start.ToUniversalTime() + System.GetElapsedTime(_started);
            if (instant > now)
            {
                _start += instant - now;
            }
        }

        return Task.CompletedTask;
    }
}
