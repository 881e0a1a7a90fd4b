namespace Lockstep.Locks.Postgres;

/// <summary>
/// Lockstep's two tables: a row per group (its slots) and a row per holder (with when it took
/// its slot). Created on first use by whoever comes first; concurrent first users queue on a
/// transaction-scoped advisory lock instead of racing in the catalog.
/// </summary>
internal static class PostgresSchema
{
    public const string Groups = "lockstep_lock_group";

    public const string Holders = "lockstep_lock_holder";

    // 'lockstep' in ASCII: one fixed key for schema creation only, released at commit.
    private const long SchemaLockKey = 0x6c6f636b73746570;

    /// <summary>
    /// Checks for the tables before creating anything, so a role without CREATE rights works
    /// once an administrator has created them.
    /// </summary>
    public static readonly string Ensure = $"""
        DO $$
        BEGIN
          IF to_regclass('{Holders}') IS NULL THEN
            PERFORM pg_advisory_xact_lock({SchemaLockKey});
            CREATE TABLE IF NOT EXISTS {Groups} (
              name text PRIMARY KEY,
              total_slots integer NOT NULL CHECK (total_slots >= 0),
              created_at timestamptz NOT NULL DEFAULT now());
            CREATE TABLE IF NOT EXISTS {Holders} (
              group_name text NOT NULL REFERENCES {Groups} (name) ON DELETE CASCADE,
              holder_id text NOT NULL,
              acquired_at timestamptz NOT NULL DEFAULT now(),
              PRIMARY KEY (group_name, holder_id));
          END IF;
        END $$
        """;

    public static readonly string CreateGroup = $"INSERT INTO {Groups} (name, total_slots) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING";

    /// <summary>The row lock every change of a group queues on, so two hosts never count the same free slot.</summary>
    public static readonly string LockGroup = $"SELECT total_slots FROM {Groups} WHERE name = $1 FOR UPDATE";

    public static readonly string ReadGroup = $"SELECT total_slots FROM {Groups} WHERE name = $1";

    public static readonly string ReadHolders = $"SELECT holder_id FROM {Holders} WHERE group_name = $1";

    public static readonly string AddHolder = $"INSERT INTO {Holders} (group_name, holder_id) VALUES ($1, $2)";

    public static readonly string RemoveHolder = $"DELETE FROM {Holders} WHERE group_name = $1 AND holder_id = $2";
}
