using Lockstep.Config;
using Lockstep.Locks.Etcd;
using Lockstep.Locks.FleetLock;
using Lockstep.Locks.Foreman;
using Lockstep.Locks.Local;
using Lockstep.Locks.Postgres;

namespace Lockstep.Locks;

/// <summary>Builds the backend named by <c>[main] backend</c> (default foreman, as foreman_dlm_updater) from its options.</summary>
public static class LockBackendFactory
{
    public const string DefaultBackend = "foreman";

    public static ILockBackend Create(IniFile config, LockBackendContext context)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(context);
        var setting = config.Get("main", "backend");
        string name = setting?.Text.ToLowerInvariant() ?? DefaultBackend;
        return name switch
        {
            "foreman" => new ForemanBackend(ForemanOptions.From(config), context),
            LocalLockOptions.Name => new LocalLockBackend(LocalLockOptions.From(config), context),
            "etcd" => new EtcdLockBackend(EtcdOptions.From(config), context),
            "postgres" => new PostgresLockBackend(PostgresOptions.From(config, context.HttpTimeout), context),
            "fleetlock" => new FleetLockBackend(FleetLockOptions.From(config), context),
            _ => throw new ConfigException(
                $"{setting?.Where ?? $"{config.Path}: [main] backend"} = '{name}' is not a known lock backend; use foreman, local, etcd, postgres or fleetlock"),
        };
    }
}
