using Lockstep.Config;
using Lockstep.Locks;
using Lockstep.Locks.Operator;
using Lockstep.Logging;

namespace Lockstep.Fleet;

/// <summary>What the fleet commands work on, from the update configuration: the lock, its backend, the fleet store and <c>[fleet]</c>.</summary>
public sealed class FleetContext(IniFile config, ILockBackend backend, string backendName, IFleetStore? store, string lockName, string holderId, FleetOptions options, TimeProvider clock) : IAsyncDisposable
{
    public IniFile Config => config;

    /// <summary><c>http_timeout</c>: the bound on each call to the lock server or the store.</summary>
    public TimeSpan Timeout => LockConfig.HttpTimeout(config);

    public ILockBackend Backend => backend;

    public string BackendName => backendName;

    public string LockName => lockName;

    public string HolderId => holderId;

    public FleetOptions Options => options;

    public TimeProvider Clock => clock;

    /// <summary>The fleet store; a <see cref="ConfigException"/> naming what to add when the fleet keeps none.</summary>
    public IFleetStore Store => store ?? throw new ConfigException(
        $"lock backend {backendName} keeps no fleet view; add a [fleet] section with store = etcd or store = postgres (and its [etcd] or [postgres] section) so hosts can report");

    public IFleetStore? OptionalStore => store;

    public static FleetContext FromConfig(IniFile config, ILog log, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(config);
        string lockName = LockConfig.LockName(config);
        var timeout = LockConfig.HttpTimeout(config);
        var options = FleetOptions.From(config);
        var context = new LockBackendContext(Locks.HolderId.Resolve(config), timeout, log, clock);
        var lockBackend = LockBackendFactory.Create(config, context);
        return new FleetContext(config, lockBackend, LockConfig.BackendName(config), FleetStoreFactory.Create(config, options, timeout, log, clock), lockName, context.HolderId, options, clock);
    }

    /// <summary>Who runs a control command, for the record: the user (the one behind sudo) at this host.</summary>
    public static string Operator()
    {
        string user = Environment.GetEnvironmentVariable("SUDO_USER") is { Length: > 0 } sudo ? sudo : Environment.UserName;
        return $"{user}@{Locks.HolderId.HostName()}";
    }

    public async ValueTask DisposeAsync()
    {
        store?.Dispose();
        await backend.DisposeAsync().ConfigureAwait(false);
    }
}
