using Lockstep.Locks;
using Lockstep.Locks.Postgres;
using Lockstep.Tests.Support;
using Npgsql;

namespace Lockstep.Tests.Locks.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class PostgresBackendTests(PostgresFixture fixture) : IAsyncLifetime
{
    private readonly List<PostgresLockBackend> _backends = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var backend in _backends)
        {
            await backend.DisposeAsync();
        }
    }

    [Fact]
    public async Task Acquire_inspect_and_release_keep_holders_as_rows_with_their_acquired_time()
    {
        string group = LockContexts.UniqueLockName();
        var backend = Backend(slots: 2);
        await backend.AcquireAsync(group, "web-2", default);
        await Backend(slots: 2).AcquireAsync(group, "web-1", default);
        var state = await backend.InspectAsync(group, "web-2", default);
        state.Slots.ShouldBe(2);
        state.Holders.ShouldBe([new LockHolder("web-1", false), new LockHolder("web-2", true)]);
        (await QueryAsync($"SELECT count(*) FROM lockstep_lock_holder WHERE group_name = '{group}' AND acquired_at > now() - interval '1 minute'"))
            .ShouldBe(2L);

        await backend.ReleaseAsync(group, "web-2", default);
        (await backend.InspectAsync(group, "web-2", default)).Holders.Select(h => h.Id).ShouldBe(["web-1"]);
    }

    [Fact]
    public Task Acquire_and_release_are_idempotent() => LockScenarios.AcquireAndReleaseAreIdempotentAsync(slots => Backend(slots));

    [Fact]
    public Task A_full_group_holds_other_hosts_off_and_groups_are_independent() =>
        LockScenarios.FullGroupsHoldOthersOffAndGroupsAreIndependentAsync(slots => Backend(slots), $"PostgreSQL at 127.0.0.1:{fixture.Server.Port}/postgres");

    [Fact]
    public Task A_group_keeps_the_slots_it_was_created_with() => LockScenarios.AGroupKeepsItsSlotCountAsync(slots => Backend(slots));

    [Fact]
    public async Task Many_hosts_using_a_fresh_database_at_once_create_the_tables_once_and_all_get_a_slot()
    {
        // The race in the catalog does not show every time: three fresh databases make it all but certain.
        for (int round = 0; round < 3; round++)
        {
            string database = $"fresh_{Guid.NewGuid():N}"[..20];
            await QueryAsync($"CREATE DATABASE {database}");
            var backends = Enumerable.Range(0, 16).Select(_ => Backend(slots: 16, database: database)).ToList();
            await Task.WhenAll(backends.Select((b, i) => Task.Run(() => b.AcquireAsync("default", $"host-{i}", default))));
            (await backends[0].InspectAsync("default", "host-0", default)).Holders.Count.ShouldBe(16);
        }
    }

    [Fact]
    public async Task A_role_without_create_rights_works_once_the_tables_exist()
    {
        string group = LockContexts.UniqueLockName();
        await Backend(slots: 2).AcquireAsync(group, "admin-host", default);
        string role = $"locker_{Guid.NewGuid():N}"[..20];
        await QueryAsync($"CREATE ROLE {role} LOGIN PASSWORD 'locker-pw'; " +
            $"GRANT SELECT, INSERT, UPDATE, DELETE ON lockstep_lock_group, lockstep_lock_holder TO {role}");
        string connection = $"Host=127.0.0.1;Port={fixture.Server.Port};Username={role};Password=locker-pw;Database=postgres;SSL Mode=Disable";
        string ini = $"[main]\nbackend = postgres\n[postgres]\nconnection = {connection}\nslots = 2\n";
        await using var backend = (PostgresLockBackend)LockContexts.Backend(ini);
        await backend.AcquireAsync(group, "web-1", default);
        await backend.ReleaseAsync(group, "web-1", default);
        await backend.AcquireAsync(LockContexts.UniqueLockName(), "web-1", default);

        string database = $"empty_{Guid.NewGuid():N}"[..20];
        await QueryAsync($"CREATE DATABASE {database}");
        string elsewhere = $"[main]\nbackend = postgres\n[postgres]\nconnection = {connection.Replace("Database=postgres", $"Database={database}")}\n";
        await using var withoutTables = (PostgresLockBackend)LockContexts.Backend(elsewhere);
        var denied = await Should.ThrowAsync<LockException>(() => withoutTables.AcquireAsync(group, "web-1", default));
        denied.Kind.ShouldBe(LockErrorKind.Refused);
        denied.Message.ShouldContain("(42501: permission denied for schema public)");
        denied.Message.ShouldContain("create the lockstep_lock_group and lockstep_lock_holder tables");
    }

    [Fact]
    public async Task A_wrong_password_is_refused_naming_the_server_and_never_the_password()
    {
        var log = new RecordingLog();
        string ini = $"[main]\nbackend = postgres\n[postgres]\nconnection = {fixture.Server.ConnectionString(password: "not-the-password")}\n";
        await using var backend = (PostgresLockBackend)LockContexts.Backend(ini, log: log);
        var error = await Should.ThrowAsync<LockException>(() => backend.AcquireAsync("default", "web-1", default));
        error.Kind.ShouldBe(LockErrorKind.Refused);
        error.Message.ShouldContain($"PostgreSQL at 127.0.0.1:{fixture.Server.Port}/postgres refused Lockstep (28P01:");
        error.Message.ShouldContain("[postgres] connection");
        error.Message.ShouldNotContain("not-the-password");
        log.Lines.ShouldAllBe(l => !l.Message.Contains("not-the-password"));
    }

    [Fact]
    public async Task A_server_that_is_not_listening_is_unreachable_and_named()
    {
        int port = Support.Servers.ClosedPorts.Take(1)[0];
        string ini = $"[main]\nbackend = postgres\n[postgres]\nconnection = Host=127.0.0.1;Port={port};Username=u;Password=secret-pw\n";
        await using var backend = (PostgresLockBackend)LockContexts.Backend(ini);
        var error = await Should.ThrowAsync<LockException>(() => backend.AcquireAsync("default", "web-1", default));
        error.Kind.ShouldBe(LockErrorKind.Unreachable);
        error.Message.ShouldContain($"PostgreSQL at 127.0.0.1:{port}/u cannot be reached");
        error.Message.ShouldNotContain("secret-pw");
    }

    private PostgresLockBackend Backend(int slots = 1, string database = "postgres")
    {
        string ini = $"[main]\nbackend = postgres\n[postgres]\nconnection = {fixture.Server.ConnectionString(database: database)}\nslots = {slots}\n";
        var backend = (PostgresLockBackend)LockContexts.Backend(ini);
        _backends.Add(backend);
        return backend;
    }

    private async Task<object?> QueryAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(fixture.Server.ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
