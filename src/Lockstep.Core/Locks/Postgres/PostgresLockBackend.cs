using System.Data;
using Lockstep.Locks.Semaphore;
using Lockstep.Logging;
using Npgsql;

namespace Lockstep.Locks.Postgres;

/// <summary>
/// The fleet lock as a semaphore in PostgreSQL tables. A change locks its group's row (FOR UPDATE)
/// for one short transaction, so concurrent hosts queue instead of oversubscribing; holders are
/// rows, not sessions, so a slot outlives the holder's reboot.
/// </summary>
internal sealed class PostgresLockBackend : ILockBackend
{
    /// <summary>Tries per call when the server goes away or a transaction loses a race.</summary>
    public const int MaxAttempts = 3;

    private static readonly TimeSpan BackoffStep = TimeSpan.FromMilliseconds(150);

    private readonly PostgresOptions _options;
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _clock;
    private readonly ILog _log;
    private readonly Func<double> _jitter;
    private readonly SlotsMismatch _slotsMismatch;
    private volatile bool _schemaReady;

    public PostgresLockBackend(PostgresOptions options, LockBackendContext context, Func<double>? jitter = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        _options = options;
        _clock = context.Clock;
        _log = context.Log;
        _jitter = jitter ?? Random.Shared.NextDouble;
        _slotsMismatch = new SlotsMismatch(options.SlotsSetting, context.Log);
        _dataSource = new NpgsqlSlimDataSourceBuilder(options.ConnectionString).EnableTransportSecurity().Build();
    }

    public string Describe => $"PostgreSQL at {_options.Server}";

    public async Task AcquireAsync(string lockName, string holderId, CancellationToken cancellationToken)
    {
        // Set from a COMMIT until a later try reads the group again: a COMMIT that got no answer
        // may have been carried out (or this host held its slot already).
        bool committing = false;
        try
        {
            await RunAsync(async (connection, ct) =>
            {
                await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct).ConfigureAwait(false);
                var semaphore = await ReadAsync(connection, lockName, forUpdate: true, ct).ConfigureAwait(false);
                committing = false;
                var step = semaphore.Lock(holderId);
                if (step.Outcome == SemaphoreOutcome.Full)
                {
                    throw semaphore.HeldByOthers(lockName, Describe);
                }

                if (step.Outcome == SemaphoreOutcome.Changed)
                {
                    await ExecuteAsync(connection, PostgresSchema.AddHolder, ct, lockName, holderId).ConfigureAwait(false);
                }

                committing = true;
                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (LockException e) when (committing && e.Kind == LockErrorKind.Unreachable)
        {
            throw new LockException(e.Kind, e.Message, e.Holders) { Unanswered = true };
        }
    }

    // Removing a row cannot oversubscribe, so release needs no row lock: one statement, idempotent.
    public Task ReleaseAsync(string lockName, string holderId, CancellationToken cancellationToken) =>
        RunAsync((connection, ct) => ExecuteAsync(connection, PostgresSchema.RemoveHolder, ct, lockName, holderId), cancellationToken);

    public Task<LockState> InspectAsync(string lockName, string holderId, CancellationToken cancellationToken) =>
        RunAsync(async (connection, ct) =>
        {
            var semaphore = await ReadAsync(connection, lockName, forUpdate: false, ct).ConfigureAwait(false);
            return semaphore.ToState(lockName, holderId);
        }, cancellationToken);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <summary>The group's semaphore; with <paramref name="forUpdate"/>, created if absent and row-locked until commit.</summary>
    private async Task<SlotSemaphore> ReadAsync(NpgsqlConnection connection, string group, bool forUpdate, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection);
        if (forUpdate)
        {
            batch.BatchCommands.Add(Command(PostgresSchema.CreateGroup, group, _options.Slots));
        }

#if LOCKSTEP_FAULT_NO_ROW_LOCK
        // Test build only (docs/reliability.md): no row lock, so two hosts may count the same free slot.
        batch.BatchCommands.Add(Command(PostgresSchema.ReadGroup, group));
#else
        batch.BatchCommands.Add(Command(forUpdate ? PostgresSchema.LockGroup : PostgresSchema.ReadGroup, group));
#endif
        batch.BatchCommands.Add(Command(PostgresSchema.ReadHolders, group));
        await using var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
        int slots = _options.Slots;
        if (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            slots = reader.GetInt32(0);
            _slotsMismatch.Check(group, slots, $"group '{group}' ({PostgresSchema.Groups}) in {Describe}");
        }

        await reader.NextResultAsync(ct).ConfigureAwait(false);
        var holders = new List<string>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            holders.Add(reader.GetString(0));
        }

        return new SlotSemaphore(slots, holders);
    }

    private static async Task<bool> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct, params object[] values)
    {
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { Command(sql, values) } };
        await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        return true;
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (object value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }

    private async Task<T> RunAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                if (!_schemaReady)
                {
                    await ExecuteAsync(connection, PostgresSchema.Ensure, cancellationToken).ConfigureAwait(false);
                    _schemaReady = true;
                }

                return await work(connection, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (PostgresFailures.IsPostgresFailure(e))
            {
                if (cancellationToken.IsCancellationRequested || attempt >= MaxAttempts || !PostgresFailures.IsTransient(e))
                {
                    throw PostgresFailures.Translate(e, _options.Server, _options.SslMode, cancellationToken);
                }

                // Pooled connections to a restarted server are all dead: drop them rather than fail on each in turn.
                _log.Debug($"{Describe}: {e.Message}; retrying");
                _dataSource.Clear();
                await Task.Delay(Backoff.AfterAttempt(BackoffStep, attempt, _jitter(), spread: 0.5), _clock, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
