namespace Lockstep.Tests.Rollout;

/// <summary>The names faults are counted under in the timeline and the report (engine faults are named by each engine).</summary>
public static class RolloutFaults
{
    /// <summary>Every answer of the engine held back by 50 to 300 ms for one to two seconds.</summary>
    public const string SlowAnswers = "slow-answers";

    /// <summary>SIGKILL while one of the host's scripts (or reboot_cmd) ran.</summary>
    public const string KillInScript = "kill-in-script";

    /// <summary>SIGKILL while lockstep itself worked: between lock calls, waiting for the lock, writing state.</summary>
    public const string KillInLockstep = "kill-in-lockstep";

    /// <summary>SIGKILL the moment the host's state file changed (the instant a non-atomic write would be torn).</summary>
    public const string KillAtStateWrite = "kill-at-state-write";
}
