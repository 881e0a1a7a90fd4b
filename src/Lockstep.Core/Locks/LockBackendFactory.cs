using Lockstep.Config;
using Lockstep.Locks.Foreman;
using Lockstep.Locks.Local;

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
            // Each backend adds its case here: "foreman", "local", "etcd", "postgres", "fleetlock".
            "foreman" => ForemanBackend.Create(context),
            LocalLockBackend.Name => LocalLockBackend.Create(context),
            _ => throw new ConfigException(
                $"{setting?.Where ?? $"{context.Config.Path}: [main] backend"} = '{name}' is not a known lock backend; use foreman, local, etcd, postgres or fleetlock"),
        };
    }
}
