namespace Lockstep.Refresh;

/// <summary>A refresh that cannot start (lock held, lockfile unusable), with the one line the user sees and its exit status.</summary>
internal sealed class RefreshException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>The statuses refresh gives; os-refresh-config's where it had them.</summary>
internal static class RefreshExitCodes
{
    public const int Succeeded = 0;

    /// <summary>A phase failed, or the run could not start (lockfile unusable).</summary>
    public const int Failed = 1;

    public const int Usage = 2;

    /// <summary>Another run holds the lock: EAGAIN, which os-refresh-config returned as its errno.</summary>
    public const int LockHeld = 11;
}
