using Lockstep.Locks.Postgres;
using Npgsql;

namespace Lockstep.Fleet.Stores;

/// <summary>Connections and statements for the fleet's PostgreSQL calls, built as the lock backend builds its own.</summary>
internal static class PostgresConnections
{
    public static NpgsqlDataSource Open(PostgresOptions options) =>
        new NpgsqlSlimDataSourceBuilder(options.ConnectionString).EnableTransportSecurity().Build();

    public static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params object[] values)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (object value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }

    public static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = Command(connection, sql, values);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = Command(connection, sql, values);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }
}
