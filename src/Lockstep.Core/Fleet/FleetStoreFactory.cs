using Lockstep.Config;
using Lockstep.Fleet.Stores;
using Lockstep.Locks.Etcd;
using Lockstep.Locks.Postgres;
using Lockstep.Logging;

namespace Lockstep.Fleet;

/// <summary>Builds the fleet store <c>[fleet] store</c> names (default: the lock backend's, where it can keep data).</summary>
public static class FleetStoreFactory
{
    /// <summary>The store, or null when the fleet keeps no view (a Foreman or FleetLock lock without <c>[fleet] store</c>).</summary>
    public static IFleetStore? Create(IniFile config, FleetOptions options, TimeSpan timeout, ILog log, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Store switch
        {
            "etcd" => new EtcdFleetStore(EtcdOptions.From(config), timeout, log, clock),
            "postgres" => new PostgresFleetStore(PostgresOptions.From(config, timeout)),
            "local" => new LocalFleetStore(options.Path),
            _ => null,
        };
    }
}
