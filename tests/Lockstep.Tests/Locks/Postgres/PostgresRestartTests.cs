using Lockstep.Locks;
using Lockstep.Locks.Postgres;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.Locks.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class PostgresRestartTests(PostgresFixture fixture)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task After_a_restart_the_slot_is_still_held_and_the_next_call_fails_cleanly_or_succeeds(bool crash)
    {
        string group = LockContexts.UniqueLockName();
        string ini = $"[main]\nbackend = postgres\n[postgres]\nconnection = {fixture.Server.ConnectionString()}\nslots = 1\n";
        await using var backend = (PostgresLockBackend)LockContexts.Backend(ini);
        await backend.AcquireAsync(group, "web-1", default);

        await fixture.Server.StopAsync(crash);
        var down = await Should.ThrowAsync<LockException>(() => backend.AcquireAsync(group, "web-2", default));
        down.Kind.ShouldBe(LockErrorKind.Unreachable);
        down.Message.ShouldContain($"PostgreSQL at 127.0.0.1:{fixture.Server.Port}/postgres");
        await fixture.Server.StartProcessAsync();

        // The pooled connections died with the server: the call either retries on fresh ones or fails as unreachable.
        LockState? state = null;
        for (int attempt = 0; attempt < 3 && state is null; attempt++)
        {
            try
            {
                state = await backend.InspectAsync(group, "web-1", default);
            }
            catch (LockException e) when (e.Kind == LockErrorKind.Unreachable)
            {
            }
        }

        state.ShouldNotBeNull();
        state.Holders.Select(h => h.Id).ShouldBe(["web-1"]);
        (await Should.ThrowAsync<LockException>(() => backend.AcquireAsync(group, "web-2", default))).Kind.ShouldBe(LockErrorKind.HeldByOther);
        await backend.ReleaseAsync(group, "web-1", default);
    }
}
