using Lockstep.Locks;
using Lockstep.Locks.FleetLock;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.Locks.FleetLock;

public sealed class FleetLockBackendTests : IAsyncLifetime
{
    private FleetLockTestServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await FleetLockTestServer.StartAsync(new Dictionary<string, int> { ["default"] = 1, ["workers"] = 2 });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Acquire_and_release_post_the_protocol_header_and_body_and_are_idempotent()
    {
        await using var backend = Backend();
        await backend.AcquireAsync("default", "web-1", default);
        await backend.AcquireAsync("default", "web-1", default);
        _server.Holders("default").ShouldBe(["web-1"]);
        await backend.ReleaseAsync("default", "web-1", default);
        await backend.ReleaseAsync("default", "web-1", default);
        _server.Holders("default").ShouldBeEmpty();

        var requests = _server.Requests.ToList();
        requests.Select(r => r.Path).ShouldBe(["/base/v1/pre-reboot", "/base/v1/pre-reboot", "/base/v1/steady-state", "/base/v1/steady-state"]);
        requests.ShouldAllBe(r => r.Header == "true" && r.Body == """{"client_params":{"id":"web-1","group":"default"}}""");
    }

    [Fact]
    public async Task A_full_group_is_held_by_another_and_a_freed_slot_can_be_taken()
    {
        await using var backend = Backend();
        await backend.AcquireAsync("default", "web-1", default);
        var error = await Should.ThrowAsync<LockException>(() => backend.AcquireAsync("default", "web-2", default));
        error.Kind.ShouldBe(LockErrorKind.HeldByOther);
        error.Message.ShouldContain("failed_lock");
        await backend.ReleaseAsync("default", "web-1", default);
        await backend.AcquireAsync("default", "web-2", default);
        _server.Holders("default").ShouldBe(["web-2"]);
    }

    [Fact]
    public async Task Groups_with_two_slots_take_two_holders_and_groups_are_independent()
    {
        await using var backend = Backend();
        await backend.AcquireAsync("workers", "w-1", default);
        await backend.AcquireAsync("workers", "w-2", default);
        await backend.AcquireAsync("default", "w-3", default);
        (await Should.ThrowAsync<LockException>(() => backend.AcquireAsync("workers", "w-3", default))).Kind.ShouldBe(LockErrorKind.HeldByOther);
        _server.Holders("workers").ShouldBe(["w-1", "w-2"]);
    }

    [Fact]
    public async Task A_request_without_the_protocol_header_is_refused_by_the_server_with_a_kind()
    {
        using var http = new HttpClient();
        var response = await http.PostAsync(new Uri(_server.Url + "/v1/pre-reboot"), new StringContent("""{"client_params":{"id":"a","group":"default"}}"""));
        ((int)response.StatusCode).ShouldBe(400);
        (await response.Content.ReadAsStringAsync()).ShouldContain("\"kind\":\"invalid_client_identity\"");
        _server.Holders("default").ShouldBeEmpty();
    }

    [Fact]
    public async Task A_group_unknown_to_the_server_is_refused_with_the_servers_reason()
    {
        await using var backend = Backend();
        var error = await Should.ThrowAsync<LockException>(() => backend.AcquireAsync("other", "web-1", default));
        error.Kind.ShouldBe(LockErrorKind.Refused);
        error.Message.ShouldContain("unknown_group");
    }

    [Fact]
    public async Task A_proxy_error_page_is_unreachable_and_a_wrong_base_url_is_a_protocol_error()
    {
        await using var backend = Backend();
        _server.Override = (502, "<html><body>502 Bad Gateway</body></html>");
        (await Should.ThrowAsync<LockException>(() => backend.AcquireAsync("default", "web-1", default))).Kind.ShouldBe(LockErrorKind.Unreachable);
        _server.Override = null;
        await using var wrong = new FleetLockBackend(
            FleetLockOptions.From(LockContexts.From($"[fleetlock]\nurl = {_server.Url}/nested\n").Config), LockContexts.From("").Context);
        var error = await Should.ThrowAsync<LockException>(() => wrong.AcquireAsync("default", "web-1", default));
        error.Kind.ShouldBe(LockErrorKind.Protocol);
        error.Message.ShouldContain("HTTP 404");
    }

    [Fact]
    public async Task A_lock_name_FleetLock_forbids_is_refused_before_any_request()
    {
        await using var backend = Backend();
        await Should.ThrowAsync<Lockstep.Config.ConfigException>(() => backend.AcquireAsync("os updates", "web-1", default));
        _server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Inspect_names_the_lock_but_cannot_list_holders()
    {
        await using var backend = Backend();
        await backend.AcquireAsync("default", "web-1", default);
        var state = await backend.InspectAsync("default", "web-1", default);
        state.Name.ShouldBe("default");
        state.Holders.ShouldBeEmpty();
        state.HoldersKnown.ShouldBeFalse();
        state.HoldersUnknownBecause.ShouldBe("FleetLock cannot list them");
        state.Slots.ShouldBeNull();
    }

    [Fact]
    public async Task A_server_that_is_not_listening_is_unreachable_and_named()
    {
        int port = Support.Servers.ClosedPorts.Take(1)[0];
        string ini = $"[main]\nbackend = fleetlock\n[fleetlock]\nurl = http://127.0.0.1:{port}\n";
        await using var backend = (FleetLockBackend)LockContexts.Backend(ini);
        var error = await Should.ThrowAsync<LockException>(() => backend.AcquireAsync("default", "web-1", default));
        error.Kind.ShouldBe(LockErrorKind.Unreachable);
        error.Message.ShouldContain($"http://127.0.0.1:{port}/");
    }

    private FleetLockBackend Backend()
    {
        string ini = $"[main]\nbackend = fleetlock\nlock_name = default\n[fleetlock]\nurl = {_server.Url}\n";
        return (FleetLockBackend)LockContexts.Backend(ini);
    }
}
