using Lockstep.Locks;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.Locks;

/// <summary>
/// The contract every semaphore backend keeps, played against a real server. Each scenario gets
/// a way to build a backend (as a separate host would have) for a given slot count.
/// </summary>
public static class LockScenarios
{
    public static async Task AcquireAndReleaseAreIdempotentAsync(Func<int, ILockBackend> backend)
    {
        string group = LockContexts.UniqueLockName();
        var host = backend(1);
        await host.AcquireAsync(group, "web-1", default);
        await host.AcquireAsync(group, "web-1", default);
        (await host.InspectAsync(group, "web-1", default)).Holders.Select(h => h.Id).ShouldBe(["web-1"]);
        await host.ReleaseAsync(group, "web-1", default);
        await host.ReleaseAsync(group, "web-1", default);
        (await host.InspectAsync(group, "web-1", default)).Holders.ShouldBeEmpty();
    }

    /// <summary>Two slots: two hosts get in, the third is held off by both (named), another group is unaffected.</summary>
    public static async Task FullGroupsHoldOthersOffAndGroupsAreIndependentAsync(Func<int, ILockBackend> backend, string server)
    {
        string group = LockContexts.UniqueLockName(), other = LockContexts.UniqueLockName();
        await backend(2).AcquireAsync(group, "a", default);
        await backend(2).AcquireAsync(group, "b", default);
        var error = await Should.ThrowAsync<LockException>(() => backend(2).AcquireAsync(group, "c", default));
        error.Kind.ShouldBe(LockErrorKind.HeldByOther);
        error.Holders.ShouldBe(["a", "b"]);
        error.Message.ShouldContain($"all 2 slot(s) of '{group}' in {server}");

        await backend(1).AcquireAsync(other, "c", default);
        await backend(1).ReleaseAsync(group, "a", default);
        await backend(1).AcquireAsync(group, "c", default);
        var state = await backend(1).InspectAsync(group, "c", default);
        state.Holders.ShouldBe([new LockHolder("b", false), new LockHolder("c", true)]);
        state.Slots.ShouldBe(2);
        (await backend(1).InspectAsync(other, "c", default)).Holders.Select(h => h.Id).ShouldBe(["c"]);
    }

    /// <summary>The slot count given when a group is created stays; later hosts' settings do not change it.</summary>
    public static async Task AGroupKeepsItsSlotCountAsync(Func<int, ILockBackend> backend)
    {
        string group = LockContexts.UniqueLockName();
        await backend(3).AcquireAsync(group, "a", default);
        await backend(1).AcquireAsync(group, "b", default);
        await backend(1).AcquireAsync(group, "c", default);
        var state = await backend(1).InspectAsync(group, "c", default);
        state.Slots.ShouldBe(3);
        state.Holders.Select(h => h.Id).ShouldBe(["a", "b", "c"]);
    }
}
