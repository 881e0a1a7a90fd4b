namespace Lockstep.Locks;

/// <summary>
/// What a failed acquire says when its request went out and no answer came back
/// (<see cref="LockException.Unanswered"/>): the server may have given this host a slot, so the
/// line says so and how to give it back (README "Lock backends", Failures). A failure before the
/// request went out (a refused connection) changed nothing and gets no such words.
/// </summary>
public static class UnansweredAcquire
{
    /// <summary>
    /// <paramref name="failure"/>'s message, and when the request may have been carried out, that
    /// this host may hold a slot, <paramref name="andThen"/> (what the command that failed does
    /// about it) and the command that gives it back.
    /// </summary>
    public static string Explain(LockException failure, string configPath, string andThen)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure.Unanswered
            ? $"{failure.Message}; the slot may now be held by this host: {andThen}, or give it back with 'lockstep lock release --config {configPath}'"
            : failure.Message;
    }
}
