namespace Lockstep.Tests.Rollout;

/// <summary>
/// A real lock engine the simulated fleet shares, reached through <see cref="DelayProxy"/>s: the
/// config lines that point a host at it, the faults it can suffer, and what it holds at the end,
/// read directly rather than through Lockstep.
/// </summary>
public interface IRolloutEngine : IAsyncDisposable
{
    string Name { get; }

    /// <summary>The engine's faults, by the names the report counts them under; one is drawn from the list, so a kind listed twice comes twice as often.</summary>
    IReadOnlyList<string> FaultKinds { get; }

    /// <summary>
    /// <c>backend = ...</c> for [main], then the engine's section, for the lock <paramref name="lockName"/>
    /// of <paramref name="slots"/> slots (an engine that must be told its groups, as serve is, starts here).
    /// </summary>
    Task<(string Main, string Section)> HostConfigAsync(string lockName, int slots);

    /// <summary>Sets the delay every proxy adds to answers.</summary>
    void SetDelay(TimeSpan delay);

    /// <summary>Inflicts <paramref name="kind"/> and recovers from it (restarts what it stopped) before it returns.</summary>
    Task InjectAsync(string kind, Random random, CancellationToken cancellationToken);

    /// <summary>The holders of <paramref name="lockName"/> as the engine stores them.</summary>
    Task<IReadOnlyList<string>> HoldersAsync(string lockName);
}
