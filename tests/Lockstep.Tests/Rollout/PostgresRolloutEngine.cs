using Lockstep.Tests.Support.Servers;
using Npgsql;

namespace Lockstep.Tests.Rollout;

/// <summary>
/// A PostgreSQL server behind one proxy. Faults: the server restarted, half of the time by an
/// immediate shutdown (a crash: recovery from the WAL) and otherwise by a fast one, and slow answers.
/// </summary>
public sealed class PostgresRolloutEngine : IRolloutEngine
{
    public const string Restart = "postgres-restart";

    private readonly PostgresServer _server;
    private readonly DelayProxy _proxy;

    private PostgresRolloutEngine(PostgresServer server)
    {
        _server = server;
        _proxy = new DelayProxy(server.Port);
    }

    public static async Task<PostgresRolloutEngine> StartAsync() => new(await PostgresServer.StartAsync());

    public string Name => "PostgreSQL";

    public IReadOnlyList<string> FaultKinds { get; } = [Restart, RolloutFaults.SlowAnswers];

    public Task<(string Main, string Section)> HostConfigAsync(string lockName, int slots) =>
        Task.FromResult(("backend = postgres", $"[postgres]\nconnection = {_server.ConnectionString().Replace($"Port={_server.Port}", $"Port={_proxy.Port}", StringComparison.Ordinal)}\nslots = {slots}"));

    public void SetDelay(TimeSpan delay) => _proxy.Delay = delay;

    public async Task InjectAsync(string kind, Random random, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (kind != Restart)
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a PostgreSQL fault");
        }

        await _server.StopAsync(crash: random.Next(2) == 0);
        await Task.Delay(TimeSpan.FromMilliseconds(200 + random.Next(1000)), CancellationToken.None);
        await _server.StartProcessAsync();
    }

    public async Task<IReadOnlyList<string>> HoldersAsync(string lockName)
    {
        await using var connection = new NpgsqlConnection(_server.ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT holder_id FROM lockstep_lock_holder WHERE group_name = $1 ORDER BY holder_id", connection)
        {
            Parameters = { new NpgsqlParameter { Value = lockName } },
        };
        var holders = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            holders.Add(reader.GetString(0));
        }

        return holders;
    }

    public async ValueTask DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _server.DisposeAsync();
    }
}
