namespace Lockstep.Fleet;

/// <summary>Exit statuses of <c>lockstep fleet</c>, as the README documents them.</summary>
public static class FleetExitStatus
{
    public const int Ok = 0;

    /// <summary><c>fleet status</c>: a host is flagged (failed, stuck, silent, unknown_holder): a person is needed.</summary>
    public const int Flagged = 1;

    /// <summary>Bad arguments or configuration, or a backend that cannot do what was asked.</summary>
    public const int ConfigError = 2;

    /// <summary>The fleet store or lock server could not be reached, or answered nonsense.</summary>
    public const int Unreachable = 3;

    /// <summary>The store or lock server refused (credentials, permissions).</summary>
    public const int Refused = 4;

    /// <summary><c>lock release --holder ID</c>: ID holds no slot of the lock, nothing was released.</summary>
    public const int NotHeld = 5;
}
