using Lockstep.Config;
using Lockstep.Locks;
using Lockstep.Locks.Etcd;
using Lockstep.Locks.Local;
using Lockstep.Locks.Postgres;
using Lockstep.Logging;

namespace Lockstep.Serve;

/// <summary>
/// Where the groups' semaphores live: a lock backend per slot count (a backend creates a missing
/// semaphore with its own slots; an existing one keeps what the store says, as airlock does). The
/// server keeps no lock state of its own, so a restart loses nothing and several servers may share a store.
/// </summary>
public sealed class ServeStore : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, int> _groups;
    private readonly Dictionary<int, ILockBackend> _bySlots;

    public ServeStore(IReadOnlyDictionary<string, int> groups, Func<int, ILockBackend> backendFor)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(backendFor);
        _groups = groups;
        _bySlots = groups.Values.Distinct().ToDictionary(slots => slots, backendFor);
        Describe = _bySlots.Values.First().Describe;
    }

    /// <summary>The store, for log lines ("etcd at http://10.0.0.1:2379").</summary>
    public string Describe { get; }

    /// <summary>Builds the store <c>[serve] backend</c> names, from the backend's own section of the same file.</summary>
    public static ServeStore Create(IniFile config, ServeOptions options, ILog log, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        var context = new LockBackendContext("lockstep-serve", options.RequestTimeout, log, clock);
        Func<int, ILockBackend> backendFor = options.Backend switch
        {
            "etcd" => Etcd(EtcdOptions.From(config), context),
            "postgres" => Postgres(PostgresOptions.From(config, options.RequestTimeout), context),
            LocalLockOptions.Name => Local(new LocalLockBackend(LocalLockOptions.From(config), context)),
            _ => throw new ConfigException($"{config.Path}: [{ServeOptions.Section}] backend = '{options.Backend}' is not a store lockstep serve knows"),
        };
        return new ServeStore(options.Groups, backendFor);
    }

    public Task AcquireAsync(FleetLockRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return For(request.Group).AcquireAsync(request.Group, request.Id, cancellationToken);
    }

    public Task ReleaseAsync(FleetLockRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return For(request.Group).ReleaseAsync(request.Group, request.Id, cancellationToken);
    }

    /// <summary>The group's holders and slots as the store has them.</summary>
    public Task<LockState> InspectAsync(string group, CancellationToken cancellationToken) =>
        For(group).InspectAsync(group, "", cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var backend in _bySlots.Values)
        {
            await backend.DisposeAsync().ConfigureAwait(false);
        }
    }

    private ILockBackend For(string group) => _bySlots[_groups[group]];

    private static Func<int, ILockBackend> Etcd(EtcdOptions options, LockBackendContext context) =>
        slots => new EtcdLockBackend(options with { Slots = slots }, context);

    private static Func<int, ILockBackend> Postgres(PostgresOptions options, LockBackendContext context) =>
        slots => new PostgresLockBackend(options with { Slots = slots }, context);

    // One slot a group (ServeOptions refuses more), one lock file for every group.
    private static Func<int, ILockBackend> Local(LocalLockBackend backend) => _ => backend;
}
