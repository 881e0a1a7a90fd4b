using Lockstep.Locks;
using Lockstep.Locks.Postgres;
using Npgsql;

namespace Lockstep.Fleet.Stores;

/// <summary>
/// The fleet view in PostgreSQL: one table Lockstep creates on first use (<see cref="Table"/>: key,
/// value, revision). Conditional writes compare the row's revision, which every write increments.
/// </summary>
public sealed class PostgresFleetStore : IFleetStore
{
    public const string Table = "lockstep_fleet";

    private static readonly string Ensure = $"CREATE TABLE IF NOT EXISTS {Table} (key text PRIMARY KEY, value bytea NOT NULL, revision bigint NOT NULL DEFAULT 1)";
    private static readonly string Select = $"SELECT key, value, revision FROM {Table} WHERE key = $1";
    private static readonly string SelectPrefix = $"SELECT key, value, revision FROM {Table} WHERE starts_with(key, $1) ORDER BY key COLLATE \"C\"";
    private static readonly string Upsert = $"INSERT INTO {Table} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, revision = {Table}.revision + 1";
    private static readonly string InsertNew = $"INSERT INTO {Table} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING";
    private static readonly string UpdateIf = $"UPDATE {Table} SET value = $2, revision = revision + 1 WHERE key = $1 AND revision = $3";
    private static readonly string DeleteIf = $"DELETE FROM {Table} WHERE key = $1 AND revision = $2";

    private readonly PostgresOptions _options;
    private readonly NpgsqlDataSource _dataSource;
    private bool _schemaReady;

    public PostgresFleetStore(PostgresOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _dataSource = PostgresConnections.Open(options);
    }

    public string Describe => $"PostgreSQL at {_options.Server}";

    public async Task<FleetEntry?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var entries = await QueryAsync(Select, cancellationToken, key).ConfigureAwait(false);
        return entries.Count > 0 ? entries[0] : null;
    }

    public Task<IReadOnlyList<FleetEntry>> ListAsync(string prefix, CancellationToken cancellationToken) =>
        QueryAsync(SelectPrefix, cancellationToken, prefix);

    public Task PutAsync(string key, byte[] value, CancellationToken cancellationToken) => ExecuteAsync(Upsert, cancellationToken, key, value);

    public async Task<bool> PutIfUnchangedAsync(string key, byte[] value, FleetEntry? read, CancellationToken cancellationToken) =>
        await (read is null
            ? ExecuteAsync(InsertNew, cancellationToken, key, value)
            : ExecuteAsync(UpdateIf, cancellationToken, key, value, read.Revision)).ConfigureAwait(false) == 1;

    public async Task<bool> DeleteIfUnchangedAsync(FleetEntry read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        return await ExecuteAsync(DeleteIf, cancellationToken, read.Key, read.Revision).ConfigureAwait(false) == 1;
    }

    public void Dispose() => _dataSource.Dispose();

    private async Task<IReadOnlyList<FleetEntry>> QueryAsync(string sql, CancellationToken cancellationToken, params object[] values)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = PostgresConnections.Command(connection, sql, values);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var entries = new List<FleetEntry>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                entries.Add(new FleetEntry(reader.GetString(0), (byte[])reader.GetValue(1), reader.GetInt64(2)));
            }

            return entries;
        }
        catch (Exception e) when (PostgresFailures.IsPostgresFailure(e))
        {
            throw Failure(e, cancellationToken);
        }
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params object[] values)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            return await PostgresConnections.ExecuteAsync(connection, sql, cancellationToken, values).ConfigureAwait(false);
        }
        catch (Exception e) when (PostgresFailures.IsPostgresFailure(e))
        {
            throw Failure(e, cancellationToken);
        }
    }

    private Exception Failure(Exception e, CancellationToken cancellationToken)
    {
        var failure = PostgresFailures.Translate(e, _options.Server, _options.SslMode, cancellationToken);
        return failure is LockException denied && e is PostgresException { SqlState: "42501" }
            ? new LockException(denied.Kind, $"PostgreSQL at {_options.Server} denied Lockstep the {Table} table; create it as an administrator ({Ensure}) and grant this role SELECT, INSERT, UPDATE and DELETE on it")
            : failure;
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (!_schemaReady)
        {
            // Checked before it is created, so a role without CREATE rights works once the table exists.
            if (await PostgresConnections.ScalarAsync(connection, $"SELECT to_regclass('{Table}') IS NOT NULL", cancellationToken).ConfigureAwait(false) is not true)
            {
                await PostgresConnections.ExecuteAsync(connection, Ensure, cancellationToken).ConfigureAwait(false);
            }

            _schemaReady = true;
        }

        return connection;
    }
}
