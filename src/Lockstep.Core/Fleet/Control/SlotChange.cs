using Lockstep.Config;
using Lockstep.Locks;
using Lockstep.Locks.Etcd;
using Lockstep.Locks.Postgres;
using Lockstep.Logging;

namespace Lockstep.Fleet.Control;

/// <summary>What <c>lockstep lock slots N</c> did: the count before and after, and the holders now.</summary>
public sealed record SlotChange(int Before, int After, IReadOnlyList<string> Holders);

/// <summary>
/// <c>lockstep lock slots N</c>: changes a lock's number of slots where it lives, as a
/// compare-and-swap on what was read (etcd: airlock's semaphore key, so FleetLock hosts behind
/// airlock obey it too; PostgreSQL: the group's row, locked for the change).
/// </summary>
public static class LockSlots
{
    public static async Task<SlotChange> SetAsync(IniFile config, string backendName, string lockName, int slots, TimeSpan timeout, ILog log, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (slots < 1)
        {
            throw new ConfigException($"{slots} slots would stop every host for good; give 1 or more (lockstep fleet pause stops new hosts for a while)");
        }

        switch (backendName)
        {
            case "etcd":
                using (var etcd = new EtcdSlots(EtcdOptions.From(config), timeout, log, clock))
                {
                    return await etcd.SetAsync(lockName, slots, cancellationToken).ConfigureAwait(false);
                }

            case "postgres":
                using (var postgres = new PostgresSlots(PostgresOptions.From(config, timeout)))
                {
                    return await postgres.SetAsync(lockName, slots, cancellationToken).ConfigureAwait(false);
                }

            default:
                throw new NotSupportedException(Unsupported(backendName));
        }
    }

    /// <summary>The one line for a backend whose slot count Lockstep cannot change, naming what to use instead.</summary>
    public static string Unsupported(string backendName) => backendName switch
    {
        "foreman" => "Foreman DLM locks have one slot, which Lockstep cannot change; to update several hosts at once use backend = etcd or postgres",
        "fleetlock" => "the FleetLock server owns the slot count; for airlock, change it in its configuration, or run lockstep lock slots with backend = etcd on airlock's etcd",
        "local" => "the local lock file has one slot; to update several hosts at once use backend = etcd or postgres",
        _ => $"backend {backendName} cannot change its slot count",
    };
}
