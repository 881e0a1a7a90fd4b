namespace Lockstep.Locks.Operator;

/// <summary>Exit statuses of <c>lockstep lock</c>, as the README documents them.</summary>
public static class LockExitStatus
{
    public const int Ok = 0;

    /// <summary>The lock is held by another host: trying again later may succeed.</summary>
    public const int HeldByOther = 1;

    /// <summary>Bad arguments or configuration (file, key, certificate).</summary>
    public const int ConfigError = 2;

    /// <summary>The lock server could not be reached or gave an answer that makes no sense.</summary>
    public const int Unreachable = 3;

    /// <summary>The server said no for a reason waiting will not fix (lock disabled, host not allowed, certificate refused).</summary>
    public const int Refused = 4;

    public static int For(LockErrorKind kind) => kind switch
    {
        LockErrorKind.HeldByOther => HeldByOther,
        LockErrorKind.Refused => Refused,
        _ => Unreachable,
    };
}
