using System.Security.Authentication;
using Npgsql;

namespace Lockstep.Locks.Postgres;

/// <summary>What a PostgreSQL failure means for a lock call; decided on the SQLSTATE, never on message text.</summary>
internal static class PostgresFailures
{
    // Shutting down or starting up, too many connections, serialization failure, deadlock, lock timeout.
    private static readonly HashSet<string> Transient = ["57P01", "57P02", "57P03", "53300", "40001", "40P01", "55P03"];

    // Bad password or login refused by pg_hba.conf, no such database.
    private static readonly HashSet<string> Denied = ["28P01", "28000", "3D000"];

    /// <summary>Whether the same call on a fresh connection may succeed: the server went away, or lost a race.</summary>
    public static bool IsTransient(Exception failure) => failure switch
    {
        PostgresException e => Transient.Contains(e.SqlState) || e.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException e => e.IsTransient || e.InnerException is IOException or System.Net.Sockets.SocketException or TimeoutException,
        _ => false,
    };

    public static bool IsPostgresFailure(Exception failure) => failure is NpgsqlException or TimeoutException;

    /// <summary>
    /// What a failure is to the caller: a cancellation when the caller's token was cancelled, whatever
    /// form Npgsql gave it (a read it broke off is "Exception while reading from stream" with a
    /// <see cref="TimeoutException"/> inside, not an <see cref="OperationCanceledException"/>), else <see cref="ToLockException"/>.
    /// </summary>
    public static Exception Translate(Exception failure, string server, SslMode sslMode, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested
            ? new OperationCanceledException("the PostgreSQL call was cancelled", failure, cancellationToken)
            : ToLockException(failure, server, sslMode);

    public static LockException ToLockException(Exception failure, string server, SslMode sslMode)
    {
        if (failure is PostgresException e)
        {
            string reason = $"{e.SqlState}: {e.MessageText}";
            if (e.SqlState == "42501")
            {
                return new LockException(
                    LockErrorKind.Refused,
                    $"PostgreSQL at {server} denied Lockstep ({reason}); create the {PostgresSchema.Groups} and {PostgresSchema.Holders} tables as an administrator (Lockstep creates them when it may) and grant this role SELECT, INSERT, UPDATE and DELETE on them");
            }

            if (Denied.Contains(e.SqlState))
            {
                return new LockException(LockErrorKind.Refused, $"PostgreSQL at {server} refused Lockstep ({reason}); check user, password and database in [postgres] connection");
            }

            if (IsTransient(e))
            {
                return new LockException(LockErrorKind.Unreachable, $"PostgreSQL at {server} is not available ({reason}); retry later");
            }

            return new LockException(LockErrorKind.Protocol, $"PostgreSQL at {server} failed a lock statement ({reason}); check the {PostgresSchema.Groups} and {PostgresSchema.Holders} tables");
        }

        string cause = OneLine((failure.InnerException ?? failure).Message);
        if (failure is NpgsqlException { InnerException: null or AuthenticationException })
        {
            // Refused while connecting, without a network failure or a server error: TLS or authentication, which waiting will not fix.
            string tls = sslMode is SslMode.Disable or SslMode.Allow or SslMode.Prefer
                ? ""
                : $": with SSL Mode={sslMode}{(sslMode == SslMode.VerifyFull ? " (the default when it sets none)" : "")} the server must offer TLS " +
                  "with a certificate this host trusts (Root Certificate=FILE names the CA); SSL Mode=Disable connects in plaintext";
            return new LockException(LockErrorKind.Refused, $"PostgreSQL at {server} refused the connection ({cause}); check [postgres] connection{tls}");
        }

        return new LockException(LockErrorKind.Unreachable, $"PostgreSQL at {server} cannot be reached ({cause}); check [postgres] connection and that the server is up");
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim().TrimEnd('.');
}
