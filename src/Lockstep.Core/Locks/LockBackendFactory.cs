using Lockstep.Config;
using Lockstep.Locks.Foreman;
using Lockstep.Locks.Local;
using Lockstep.Locks.Etcd;
using Lockstep.Locks.FleetLock;
using Lockstep.Locks.Postgres;

namespace Lockstep.Locks;

/// <summary>Builds the backend named by <c>[main] backend</c> (default foreman, as foreman_dlm_updater).</summary>
public static class LockBackendFactory
{
    public const string DefaultBackend = "foreman";

    public static ILockBackend Create(LockBackendContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var setting = context.Config.Get("main", "backend");
        string name = setting?.Text.ToLowerInvariant() ?? DefaultBackend;
        return name switch
        {
            "foreman" => ForemanBackend.Create(context),
            LocalLockBackend.Name => LocalLockBackend.Create(context),
            "etcd" => new EtcdLockBackend(EtcdOptions.From(context.Config), context),
            "postgres" => new PostgresLockBackend(PostgresOptions.From(context.Config, context.HttpTimeout), context),
            "fleetlock" => new FleetLockBackend(FleetLockOptions.From(context.Config), context),
            _ => throw new ConfigException(
                $"{setting?.Where ?? $"{context.Config.Path}: [main] backend"} = '{name}' is not a known lock backend; use foreman, local, etcd, postgres or fleetlock"),
        };
    }
}
