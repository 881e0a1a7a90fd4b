using Lockstep.Locks;
using Lockstep.Locks.Postgres;
using Npgsql;

namespace Lockstep.Tests.Locks.Postgres;

/// <summary>
/// What a PostgreSQL failure is to its caller. Under a cancelled token it is a cancellation whatever
/// Npgsql called it: the fleet report and the pause read bound their calls that way and catch only a
/// cancellation, so a broken-off read that escaped as NpgsqlException ended a run as exit 70.
/// </summary>
public sealed class PostgresFailuresTests
{
    public static TheoryData<string> Failures => ["read-timeout", "socket", "timeout", "server"];

    [Theory]
    [MemberData(nameof(Failures))]
    public void Under_a_cancelled_token_every_failure_is_a_cancellation(string kind)
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        var translated = PostgresFailures.Translate(Failure(kind), "db:5432/postgres", SslMode.Disable, cancelled.Token);

        var cancellation = translated.ShouldBeOfType<OperationCanceledException>();
        cancellation.CancellationToken.ShouldBe(cancelled.Token);
        cancellation.InnerException.ShouldNotBeNull();
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public void Otherwise_every_failure_is_a_lock_failure_naming_the_server(string kind)
    {
        var translated = PostgresFailures.Translate(Failure(kind), "db:5432/postgres", SslMode.Disable, CancellationToken.None);

        translated.ShouldBeOfType<LockException>().Message.ShouldContain("PostgreSQL at db:5432/postgres");
    }

    private static Exception Failure(string kind) => kind switch
    {
        "read-timeout" => new NpgsqlException("Exception while reading from stream", new TimeoutException("The operation has timed out")),
        "socket" => new NpgsqlException("Exception while writing to stream", new System.Net.Sockets.SocketException(104)),
        "timeout" => new TimeoutException("The operation has timed out"),
        _ => new NpgsqlException("Failed to connect"),
    };
}
