using Lockstep.Config;
using Lockstep.Locks;
using Lockstep.Locks.Foreman;
using Lockstep.Logging;
using Lockstep.Tests.Support;
using Lockstep.Tests.Support.ForemanDlm;

namespace Lockstep.Tests.Locks.Foreman;

/// <summary>The foreman backend against the test DLM server: taking, giving back and showing locks.</summary>
public sealed class ForemanBackendLockingTests : IDisposable
{
    private readonly ForemanDlmServer _server = ForemanDlmServer.Start();
    private readonly RecordingLog _log = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Acquire_creates_an_unknown_lock_and_takes_it_for_this_host()
    {
        await using var web1 = Backend("web1");
        (await web1.InspectAsync("updates", "web1", default)).Holders.ShouldBeEmpty();
        _server.Locks.Find("updates").ShouldBeNull();

        await web1.AcquireAsync("updates", "web1", default);

        _server.HolderOf("updates").ShouldBe("web1");
        var state = await web1.InspectAsync("updates", "web1", default);
        state.Holders.ShouldBe([new LockHolder("web1", IsSelf: true)]);
        state.Enabled.ShouldBe(true);
        state.Slots.ShouldBe(1);
    }

    [Fact]
    public async Task Acquiring_again_succeeds_and_refreshes_the_locks_timestamp()
    {
        await using var web1 = Backend("web1");
        await web1.AcquireAsync("updates", "web1", default);
        var first = _server.Locks.Find("updates")!.UpdatedAt;
        _server.Advance(TimeSpan.FromMinutes(5));

        await web1.AcquireAsync("updates", "web1", default);

        _server.HolderOf("updates").ShouldBe("web1");
        _server.Locks.Find("updates")!.UpdatedAt.ShouldBe(first + TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task Release_frees_the_lock_and_releasing_again_is_harmless()
    {
        await using var web1 = Backend("web1");
        await web1.AcquireAsync("updates", "web1", default);

        await web1.ReleaseAsync("updates", "web1", default);
        await web1.ReleaseAsync("updates", "web1", default);
        await web1.ReleaseAsync("never-taken", "web1", default);

        _server.HolderOf("updates").ShouldBeNull();
        (await web1.InspectAsync("updates", "web1", default)).Holders.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_lock_held_by_another_host_is_reported_with_its_holder_until_released()
    {
        await using var web1 = Backend("web1");
        await using var web2 = Backend("web2");
        await web2.AcquireAsync("updates", "web2", default);

        var held = await Should.ThrowAsync<LockException>(() => web1.AcquireAsync("updates", "web1", default));
        held.Kind.ShouldBe(LockErrorKind.HeldByOther);
        held.Holders.ShouldBe(["web2"]);
        held.Message.ShouldBe($"lock updates is held by web2 on Foreman DLM at {_server.Url}");
        (await web1.InspectAsync("updates", "web1", default)).Holders.ShouldBe([new LockHolder("web2", IsSelf: false)]);

        await web2.ReleaseAsync("updates", "web2", default);
        await web1.AcquireAsync("updates", "web1", default);

        _server.HolderOf("updates").ShouldBe("web1");
    }

    [Fact]
    public async Task Releasing_a_lock_another_host_holds_leaves_it_alone_with_a_warning()
    {
        await using var web1 = Backend("web1");
        _server.SetHolder("updates", "web2");

        await web1.ReleaseAsync("updates", "web1", default);

        _server.HolderOf("updates").ShouldBe("web2");
        _log.At(LogLevel.Warn).ShouldHaveSingleItem().ShouldContain("held by web2");
    }

    [Fact]
    public async Task A_disabled_lock_is_refused_with_the_servers_reason()
    {
        await using var web1 = Backend("web1");
        _server.Disable("updates");

        var error = await Should.ThrowAsync<LockException>(() => web1.AcquireAsync("updates", "web1", default));

        error.Kind.ShouldBe(LockErrorKind.Refused);
        error.Message.ShouldBe($"lock updates is disabled on Foreman DLM at {_server.Url}; an administrator must enable it in Foreman");
        (await web1.InspectAsync("updates", "web1", default)).Enabled.ShouldBe(false);
    }

    [Fact]
    public async Task A_held_lock_that_was_disabled_cannot_be_released_and_stays_held()
    {
        await using var web1 = Backend("web1");
        await web1.AcquireAsync("updates", "web1", default);
        _server.Disable("updates");

        var error = await Should.ThrowAsync<LockException>(() => web1.ReleaseAsync("updates", "web1", default));

        error.Kind.ShouldBe(LockErrorKind.Refused);
        error.Message.ShouldContain("disabled");
        _server.HolderOf("updates").ShouldBe("web1");
    }

    [Fact]
    public async Task A_host_not_allowed_to_take_locks_is_refused_not_kept_waiting()
    {
        await using var web1 = Backend("web1");
        _server.Forbid("web1");

        var error = await Should.ThrowAsync<LockException>(() => web1.AcquireAsync("updates", "web1", default));

        error.Kind.ShouldBe(LockErrorKind.Refused);
        error.Message.ShouldContain("this host is not allowed to take locks");
        _server.HolderOf("updates").ShouldBeNull();
    }

    [Fact]
    public async Task The_lock_name_is_escaped_as_one_path_segment()
    {
        await using var web1 = Backend("web1");

        await web1.AcquireAsync("db updates/eu?x#1", "web1", default);

        _server.HolderOf("db updates/eu?x#1").ShouldBe("web1");
        _server.Requests[^1].Target.ShouldBe("/api/dlmlocks/db%20updates%2Feu%3Fx%231/lock");
    }

    [Fact]
    public async Task Lock_calls_carry_the_json_content_type_the_server_insists_on()
    {
        await using var web1 = Backend("web1");

        await web1.AcquireAsync("updates", "web1", default);
        await web1.ReleaseAsync("updates", "web1", default);

        _server.Requests.Where(r => r.Method is "PUT" or "DELETE").Select(r => r.ContentType).ShouldBe(["application/json", "application/json"]);
        _server.Requests.ShouldAllBe(r => r.Host == "web1");
    }

    private ForemanBackend Backend(string host)
    {
        var config = IniFile.Load(_server.WriteConfig(host));
        return (ForemanBackend)LockBackendFactory.Create(config, new LockBackendContext(host, TimeSpan.FromSeconds(10), _log, TimeProvider.System));
    }
}
