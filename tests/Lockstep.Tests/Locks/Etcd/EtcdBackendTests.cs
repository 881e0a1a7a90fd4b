using Lockstep.Locks;
using Lockstep.Locks.Etcd;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.Locks.Etcd;

[Collection(EtcdClusterCollection.Name)]
public sealed class EtcdBackendTests(EtcdClusterFixture fixture) : IAsyncLifetime
{
    private readonly List<EtcdLockBackend> _backends = [];

    private string Endpoint => fixture.Cluster.Endpoints[1];

    [Fact]
    public async Task Acquire_inspect_and_release_keep_the_semaphore_in_airlocks_layout()
    {
        string group = LockContexts.UniqueLockName();
        string key = $"com.coreos.airlock/groups/{group}/v1/semaphore";
        var backend = Backend(slots: 2);
        await backend.AcquireAsync(group, "web-2", default);
        (await EtcdRaw.GetAsync(Endpoint, key)).ShouldBe("""{"total_slots":2,"holders":["web-2"]}""");

        await Backend().AcquireAsync(group, "web-1", default);
        (await EtcdRaw.GetAsync(Endpoint, key)).ShouldBe("""{"total_slots":2,"holders":["web-1","web-2"]}""");
        var state = await backend.InspectAsync(group, "web-2", default);
        state.Slots.ShouldBe(2);
        state.Holders.ShouldBe([new LockHolder("web-1", false), new LockHolder("web-2", true)]);

        await backend.ReleaseAsync(group, "web-2", default);
        (await EtcdRaw.GetAsync(Endpoint, key)).ShouldBe("""{"total_slots":2,"holders":["web-1"]}""");
    }

    [Fact]
    public async Task Acquire_and_release_are_idempotent_and_release_of_an_unknown_group_writes_nothing()
    {
        await LockScenarios.AcquireAndReleaseAreIdempotentAsync(slots => Backend(slots));
        string unknown = LockContexts.UniqueLockName();
        var backend = Backend();
        await backend.ReleaseAsync(unknown, "web-1", default);
        (await EtcdRaw.GetAsync(Endpoint, EtcdKeys.Semaphore(unknown))).ShouldBeNull();
        var state = await backend.InspectAsync(unknown, "web-1", default);
        state.Holders.ShouldBeEmpty();
        state.Slots.ShouldBe(1);
    }

    [Fact]
    public Task A_full_semaphore_holds_other_hosts_off_and_groups_are_independent() =>
        LockScenarios.FullGroupsHoldOthersOffAndGroupsAreIndependentAsync(slots => Backend(slots), "etcd at ");

    [Fact]
    public Task A_semaphore_keeps_the_slots_it_was_created_with() => LockScenarios.AGroupKeepsItsSlotCountAsync(slots => Backend(slots));

    [Fact]
    public async Task A_semaphore_airlock_created_keeps_its_own_slot_count()
    {
        string group = LockContexts.UniqueLockName();
        await EtcdRaw.PutAsync(Endpoint, EtcdKeys.Semaphore(group), """{"total_slots":3,"holders":["fcos-1"]}""");
        await Backend(slots: 1).AcquireAsync(group, "web-1", default);
        await Backend(slots: 1).AcquireAsync(group, "web-2", default);
        (await EtcdRaw.GetAsync(Endpoint, EtcdKeys.Semaphore(group))).ShouldBe("""{"total_slots":3,"holders":["fcos-1","web-1","web-2"]}""");
    }

    [Fact]
    public async Task A_value_that_is_not_a_semaphore_stops_every_call_with_a_protocol_error_naming_the_key()
    {
        string group = LockContexts.UniqueLockName();
        string key = EtcdKeys.Semaphore(group);
        await EtcdRaw.PutAsync(Endpoint, key, "{not json");
        var backend = Backend();
        foreach (var call in new Func<Task>[]
        {
            () => backend.AcquireAsync(group, "web-1", default),
            () => backend.ReleaseAsync(group, "web-1", default),
            () => backend.InspectAsync(group, "web-1", default),
        })
        {
            var error = await Should.ThrowAsync<LockException>(call);
            error.Kind.ShouldBe(LockErrorKind.Protocol);
            error.Message.ShouldContain($"etcd key {key} in etcd at ");
            error.Message.ShouldContain("'{not json'");
        }

        (await EtcdRaw.GetAsync(Endpoint, key)).ShouldBe("{not json");
    }

    [Fact]
    public async Task Endpoints_that_do_not_answer_are_unreachable_and_all_named()
    {
        int[] ports = Support.Servers.ClosedPorts.Take(2);
        string endpoints = $"http://127.0.0.1:{ports[0]},http://127.0.0.1:{ports[1]}";
        await using var backend = (EtcdLockBackend)LockContexts.Backend($"[main]\nbackend = etcd\n[etcd]\nendpoints = {endpoints}\n");
        var error = await Should.ThrowAsync<LockException>(() => backend.AcquireAsync("default", "web-1", default));
        error.Kind.ShouldBe(LockErrorKind.Unreachable);
        error.Message.ShouldContain($"http://127.0.0.1:{ports[0]}/: ");
        error.Message.ShouldContain($"http://127.0.0.1:{ports[1]}/: ");
        error.Message.ShouldContain("[etcd] endpoints");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var backend in _backends)
        {
            await backend.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_slots_setting_that_differs_from_the_semaphore_is_warned_about_once_however_often_a_wait_retries()
    {
        string group = LockContexts.UniqueLockName();
        await Backend(slots: 1).AcquireAsync(group, "web-1", default);
        var log = new RecordingLog();
        var backend = Backend(slots: 2, log);

        for (int i = 0; i < 4; i++)
        {
            (await Should.ThrowAsync<LockException>(() => backend.AcquireAsync(group, "web-2", default))).Kind.ShouldBe(LockErrorKind.HeldByOther);
        }

        await backend.InspectAsync(group, "web-2", default);
        string warning = log.At(Lockstep.Logging.LogLevel.Warn).ShouldHaveSingleItem();
        warning.ShouldStartWith($"{LockContexts.ConfigPath}:5: [etcd] slots = 2, but etcd key {EtcdKeys.Semaphore(group)} in etcd at ");
        warning.ShouldContain("has total_slots 1: 1 is in force");
    }

    private EtcdLockBackend Backend(int slots = 1, RecordingLog? log = null)
    {
        string ini = $"[main]\nbackend = etcd\n[etcd]\nendpoints = {string.Join(",", fixture.Cluster.Endpoints.Reverse())}\nslots = {slots}\n";
        var backend = (EtcdLockBackend)LockContexts.Backend(ini, log: log);
        _backends.Add(backend);
        return backend;
    }
}
