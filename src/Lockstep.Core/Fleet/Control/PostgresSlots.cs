using Lockstep.Fleet.Stores;
using Lockstep.Locks.Postgres;
using Npgsql;

namespace Lockstep.Fleet.Control;

/// <summary>The slot count of a group's row, changed in one transaction that locks the row (as taking a slot does).</summary>
internal sealed class PostgresSlots(PostgresOptions options) : IDisposable
{
    private readonly NpgsqlDataSource _dataSource = PostgresConnections.Open(options);

    public async Task<SlotChange> SetAsync(string lockName, int slots, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await PostgresConnections.ExecuteAsync(connection, PostgresSchema.Ensure, cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await PostgresConnections.ExecuteAsync(connection, PostgresSchema.CreateGroup, cancellationToken, lockName, options.Slots).ConfigureAwait(false);
            int before = (int)(await PostgresConnections.ScalarAsync(connection, PostgresSchema.LockGroup, cancellationToken, lockName).ConfigureAwait(false))!;
            await PostgresConnections.ExecuteAsync(connection, $"UPDATE {PostgresSchema.Groups} SET total_slots = $2 WHERE name = $1", cancellationToken, lockName, slots).ConfigureAwait(false);
            var holders = new List<string>();
            await using (var command = PostgresConnections.Command(connection, PostgresSchema.ReadHolders, lockName))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    holders.Add(reader.GetString(0));
                }
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            holders.Sort(StringComparer.Ordinal);
            return new SlotChange(before, slots, holders);
        }
        catch (Exception e) when (PostgresFailures.IsPostgresFailure(e))
        {
            throw PostgresFailures.Translate(e, options.Server, options.SslMode, cancellationToken);
        }
    }

    public void Dispose() => _dataSource.Dispose();
}
