using Lockstep.Tests.Support;
using Lockstep.Tests.Support.Servers;
using static Lockstep.Tests.Locks.LockCommandTests;

namespace Lockstep.Tests.Engines;

[Collection(PostgresCollection.Name)]
public sealed class PostgresLockCommandTests(PostgresFixture fixture) : SemaphoreLockCommandScenarios
{
    private readonly int _closedPort = ClosedPorts.Take(1)[0];

    protected override string Backend => "postgres";

    protected override string Reachable => $"connection = {fixture.Server.ConnectionString()}";

    protected override string Unreachable => $"connection = Host=127.0.0.1;Port={_closedPort};Username=postgres;Password=secret-pw;Database=postgres";

    protected override string Server => $"PostgreSQL at 127.0.0.1:{fixture.Server.Port}/postgres";

    [Fact]
    public async Task An_acquire_whose_commit_went_unanswered_says_the_slot_may_be_held_and_how_to_give_it_back()
    {
        await using var proxy = new CommitDroppingProxy(fixture.Server.Port);
        string through = Config("web-a", $"connection = {fixture.Server.ConnectionString().Replace($"Port={fixture.Server.Port}", $"Port={proxy.Port}", StringComparison.Ordinal)}");

        var result = Lock("acquire", through);

        proxy.Dropped.ShouldBeTrue(result.ToString());
        result.ExitCode.ShouldBe(3, result.ToString());
        OneErrorLine(result).ShouldEndWith(
            $"the slot may now be held by this host: 'lockstep lock acquire' again makes sure of it, or give it back with 'lockstep lock release --config {through}'");
        string direct = Config("web-a");
        Lock("status", direct).Stdout.ShouldContain("holders: web-a (this host)\n");
        Lock("release", direct).Stdout.ShouldStartWith("released lock");
    }

    [Fact]
    public void Wrong_credentials_are_refused_with_exit_4_without_showing_the_password()
    {
        string config = Config("web-a", $"connection = {fixture.Server.ConnectionString(password: "not-the-password")}");

        var result = Lock("acquire", config);

        result.ExitCode.ShouldBe(4, result.ToString());
        OneErrorLine(result).ShouldContain($"{Server} refused Lockstep (28P01: ");
        OneErrorLine(result).ShouldEndWith("check user, password and database in [postgres] connection");
        result.Stderr.ShouldNotContain("not-the-password");
    }

    [Fact]
    public void An_http_timeout_above_npgsqls_connect_limit_still_reaches_the_server()
    {
        using var dir = new TempDir();
        string config = dir.File("update.ini", $"""
            [main]
            backend = postgres
            lock_name = {LockName}
            holder_id = web-a
            http_timeout = 2000

            [postgres]
            {Reachable}
            """);

        var result = Lock("status", config);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldStartWith($"lock: {LockName}\nbackend: postgres ({Server})\n");
    }

    [Fact]
    public void Without_ssl_mode_a_server_without_tls_is_refused_with_exit_4_naming_ssl_mode()
    {
        string plaintext = fixture.Server.ConnectionString().Replace(";SSL Mode=Disable", "", StringComparison.Ordinal);
        string config = Config("web-a", $"connection = {plaintext}");

        var result = Lock("acquire", config);

        result.ExitCode.ShouldBe(4, result.ToString());
        string line = OneErrorLine(result);
        line.ShouldContain($"{Server} refused the connection (");
        line.ShouldContain("with SSL Mode=VerifyFull (the default when it sets none) the server must offer TLS");
        line.ShouldEndWith("SSL Mode=Disable connects in plaintext");
        result.Stderr.ShouldNotContain(PostgresServer.Password);
        Lock("status", Config("web-b")).Stdout.ShouldContain("holders: none\n");
    }

    [Fact]
    public void A_server_that_is_not_listening_is_named_without_the_password()
    {
        var result = Lock("status", Config("web-a", Unreachable));

        result.ExitCode.ShouldBe(3, result.ToString());
        OneErrorLine(result).ShouldContain($"PostgreSQL at 127.0.0.1:{_closedPort}/postgres cannot be reached");
        result.Stderr.ShouldNotContain("secret-pw");
    }
}
