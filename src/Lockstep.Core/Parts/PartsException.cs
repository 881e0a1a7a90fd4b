namespace Lockstep.Parts;

/// <summary>A problem with the run's input, with the one line the user sees and the exit status it maps to.</summary>
public sealed class PartsException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>Statuses run-parts itself gives (a failing script's own status passes through unchanged).</summary>
public static class PartsExitCodes
{
    /// <summary>DIR missing, unreadable or not a directory; unsafe permissions or ownership.</summary>
    public const int BadDirectory = 1;

    /// <summary>Bad arguments or RUN_PARTS_REGEX.</summary>
    public const int Usage = 2;

    /// <summary>A script could not be executed (bad interpreter line, not a binary).</summary>
    public const int CannotExecute = 126;

    /// <summary>A script vanished between listing and running.</summary>
    public const int NotFound = 127;
}
