using Lockstep.Http;

namespace Lockstep.Locks;

/// <summary>
/// The one mapping from an HTTP call that got no usable answer to the lock error the workflow acts
/// on: a TLS failure is configuration to fix (refused: waiting would not help), an answer that is
/// not HTTP, or not TLS where TLS was asked for, is a protocol problem, anything else may pass
/// (unreachable: the next run tries again). A request that went out and got no answer is marked
/// <see cref="LockException.Unanswered"/>: the server may have acted on it. Each backend words
/// the message, naming its own settings.
/// </summary>
internal static class HttpLockFailure
{
    public static LockErrorKind KindOf(HttpFailure failure) => failure switch
    {
        HttpFailure.Tls => LockErrorKind.Refused,
        HttpFailure.BadAnswer or HttpFailure.NotTls => LockErrorKind.Protocol,
        _ => LockErrorKind.Unreachable,
    };

    public static LockException ToLockException(HttpCallException failure, string message)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return new LockException(KindOf(failure.Failure), message) { Unanswered = failure.RequestSent };
    }
}
