namespace Lockstep.State;

/// <summary>A problem that stops a whole state command (not one path): the line the user sees and its exit status.</summary>
internal sealed class StateException(string message, int exitCode = StateExitCodes.PathFailed) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>Statuses of the <c>state</c> commands.</summary>
internal static class StateExitCodes
{
    public const int Success = 0;

    /// <summary>A path could not be handled, a registry line is unusable, or the registry cannot be read; the other paths were handled.</summary>
    public const int PathFailed = 1;

    /// <summary>Bad arguments, including a PATH that cannot be registered.</summary>
    public const int Usage = 2;
}
