namespace Lockstep.Tests.Rollout;

/// <summary>
/// One rollout: <see cref="Hosts"/> simulated hosts on one lock of <see cref="Slots"/> slots, every
/// random choice drawn from <see cref="Seed"/> (printed with the report, so a run can be replayed
/// as far as the machine's timing allows), run by <see cref="Binary"/> (the real lockstep, or a
/// test build with a defect compiled in).
/// </summary>
public sealed record RolloutSettings(int Hosts, int Slots, int Seed, string Binary)
{
    /// <summary>Kills, failing scripts and engine faults; without them the rollout only contends for the lock.</summary>
    public bool Faults { get; init; } = true;

    /// <summary>At most this many lockstep runs at once (a fleet's timers spread its hosts' runs out too).</summary>
    public int Parallel { get; init; } = 32;

    /// <summary>The share of hosts asked for a second update once their first is done.</summary>
    public double SecondUpdateShare { get; init; } = 0.25;

    /// <summary>The share of lockstep runs killed with SIGKILL (with every script of the host) at a random moment.</summary>
    public double KillShare { get; init; } = 0.12;

    /// <summary>The share of kills that strike just as the host's state file changes, instead of at a random moment.</summary>
    public double KillAtStateWriteShare { get; init; } = 0.3;

    /// <summary>The share of host-updates in which one step's script fails until the operator fixes it.</summary>
    public double FailShare { get; init; } = 0.12;

    /// <summary>The share of host-updates whose needs_reboot asks for a reboot.</summary>
    public double RebootShare { get; init; } = 0.7;

    /// <summary>With <see cref="Faults"/>: whether the engine suffers faults too (members killed, restarts, slow answers).</summary>
    public bool EngineFaults { get; init; } = true;

    /// <summary>Mean seconds between engine faults (member or leader killed, server restarted, slow answers).</summary>
    public double EngineFaultEvery { get; init; } = 5;

    /// <summary>A delay the proxy adds to every answer for the whole rollout (the fault "slow answers" adds more for a while).</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.Zero;

    /// <summary>How long each step's script works, at most (each draws a random share of it).</summary>
    public TimeSpan ScriptWork { get; init; } = TimeSpan.FromMilliseconds(150);

    /// <summary>Whether the hosts, their logs and the timeline are kept when the checker finds a violation (for a test that expects some, no).</summary>
    public bool KeepFiles { get; init; } = true;

    /// <summary>The rollout is stopped (and reported unfinished) after this long.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMinutes(3);
}
