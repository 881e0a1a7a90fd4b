using System.Text.Json;
using Lockstep.Tests.Support;
using Microsoft.AspNetCore.Http;
using Lockstep.Tests.Support.Servers;
using static Lockstep.Tests.Locks.LockCommandTests;

namespace Lockstep.Tests.Engines;

/// <summary>
/// <c>lockstep lock</c> through the command line on a FleetLock server: the protocol cannot list
/// holders, so status says they are unknown (never "none"); a full group and bad settings get the
/// documented exit statuses.
/// </summary>
public sealed class FleetLockCommandTests : IAsyncLifetime
{
    private const string Group = "ops";
    private readonly TempDir _dir = new();
    private FleetLockTestServer _server = null!;

    public async Task InitializeAsync() => _server = await FleetLockTestServer.StartAsync(new Dictionary<string, int> { [Group] = 1 });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public void Status_says_the_holders_are_unknown_even_while_this_host_holds_the_lock()
    {
        string a = Config("web-a");
        string server = $"FleetLock server {_server.Url}/";
        Lock("acquire", a).Stdout.ShouldBe($"acquired lock {Group} on {server} for web-a\n");

        var status = Lock("status", a);

        status.ExitCode.ShouldBe(0, status.ToString());
        status.Stdout.ShouldBe($"lock: {Group}\nbackend: fleetlock ({server})\nholders: unknown (FleetLock cannot list them)\n");
        using var json = JsonDocument.Parse(Lock("status", a, "--json").Stdout);
        json.RootElement.GetProperty("holders").ValueKind.ShouldBe(JsonValueKind.Null);
        json.RootElement.GetProperty("holders_known").GetBoolean().ShouldBeFalse();
        json.RootElement.GetProperty("slots").ValueKind.ShouldBe(JsonValueKind.Null);
        _server.Holders(Group).ShouldBe(["web-a"]);
    }

    [Fact]
    public void Acquire_on_a_full_group_exits_1_and_release_lets_the_next_host_take_it()
    {
        string a = Config("web-a"), b = Config("web-b");
        Lock("acquire", a).ExitCode.ShouldBe(0);

        var full = Lock("acquire", b);

        full.ExitCode.ShouldBe(1, full.ToString());
        OneErrorLine(full).ShouldContain($"gave no slot of group '{Group}' (HTTP 500 failed_lock: all 1 semaphore slots currently locked)");
        Lock("release", a).ExitCode.ShouldBe(0);
        Lock("acquire", b).ExitCode.ShouldBe(0);
        _server.Holders(Group).ShouldBe(["web-b"]);
    }

    /// <summary>airlock answers failed_lock for more than a full group (a lost race, a damaged semaphore): the line says what the server said, never "another host".</summary>
    [Theory]
    [InlineData("conflict on semaphore detected")]
    [InlineData("failed to parse semaphore value: unexpected end of JSON input")]
    public void Acquire_refused_for_another_reason_shows_the_servers_reason(string reason)
    {
        string a = Config("web-a");
        _server.Override = (500, $$"""{"kind":"failed_lock","value":"{{reason}}"}""");

        var refused = Lock("acquire", a);

        refused.ExitCode.ShouldBe(1, refused.ToString());
        OneErrorLine(refused).ShouldContain($"gave no slot of group '{Group}' (HTTP 500 failed_lock: {reason})");
        refused.Stderr.ShouldNotContain("another host");
        refused.Stderr.ShouldNotContain("no free slot");
    }

    [Fact]
    public void Release_claims_no_slot_it_cannot_know_was_held()
    {
        string a = Config("web-a");
        string said = $"gave back any slot web-a held of lock {Group} on FleetLock server {_server.Url}/ (FleetLock cannot list them, so it cannot tell whether it held one)\n";

        var never = Lock("release", a);
        Lock("acquire", a).ExitCode.ShouldBe(0);
        var held = Lock("release", a);

        never.ExitCode.ShouldBe(0, never.ToString());
        never.Stdout.ShouldBe(said);
        never.Stdout.ShouldNotContain("released");
        held.Stdout.ShouldBe(said);
        _server.Holders(Group).ShouldBeEmpty();
    }

    [Fact]
    public async Task Release_sends_only_the_release_so_a_hung_server_costs_one_timeout()
    {
        string a = Config("web-a");
        Lock("acquire", a).ExitCode.ShouldBe(0);
        int before = _server.Requests.Count;

        var release = Lock("release", a);

        release.ExitCode.ShouldBe(0, release.ToString());
        _server.Requests.Skip(before).ShouldHaveSingleItem().Path.ShouldBe("/base/v1/steady-state");

        await using var hung = await UnansweringProxy.StartAsync(_server.Url, "/v1/steady-state", Unanswered.Hang);
        var unanswered = Lock("release", Config("web-a", url: hung.Url.ToString()));
        unanswered.ExitCode.ShouldBe(3, unanswered.ToString());
        OneErrorLine(unanswered).ShouldContain("did not answer POST v1/steady-state");
        hung.WaitUntilSwallowed();
        hung.Swallowed.ShouldBe(1);
    }

    [Fact]
    public void A_lock_name_fleetlock_forbids_exits_2_naming_lock_name_before_any_request()
    {
        string config = Config("web-a", lockName: "os updates");

        var result = Lock("acquire", config);

        result.ExitCode.ShouldBe(2, result.ToString());
        OneErrorLine(result).ShouldContain($"{config}:3: [main] lock_name = 'os updates' is not a FleetLock group name (letters, digits, '.' and '-' only); rename the lock");
        _server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public void A_server_that_is_not_listening_exits_3_naming_it()
    {
        int port = ClosedPorts.Take(1)[0];

        var result = Lock("release", Config("web-a", url: $"http://127.0.0.1:{port}"));

        result.ExitCode.ShouldBe(3, result.ToString());
        OneErrorLine(result).ShouldContain($"FleetLock server http://127.0.0.1:{port}/ cannot be reached (");
        OneErrorLine(result).ShouldEndWith("check [fleetlock] url and that the server is up");
    }

    [Fact]
    public void Status_asks_the_server_a_question_that_changes_nothing_and_exits_0_when_it_answers()
    {
        string a = Config("web-a");
        Lock("acquire", a).ExitCode.ShouldBe(0);
        int before = _server.Requests.Count;

        var status = Lock("status", a);

        status.ExitCode.ShouldBe(0, status.ToString());
        var asked = _server.Requests.Skip(before).ShouldHaveSingleItem();
        asked.Path.ShouldBe("/base/v1/pre-reboot");
        asked.Header.ShouldBeNull();
        asked.Body.ShouldBeEmpty();
        _server.Holders(Group).ShouldBe(["web-a"]);
    }

    [Fact]
    public async Task Status_against_lockstep_serve_exits_0_and_leaves_its_groups_as_they_were()
    {
        using var dir = new TempDir();
        await using var serve = await ServeProcess.StartAsync(dir.Path, $"backend = local\n[local]\npath = {dir["local.lock"]}\n[group {Group}]\nslots = 1\n");
        string a = Config("web-a", url: serve.Url), b = Config("web-b", url: serve.Url);

        Lock("status", a).ExitCode.ShouldBe(0);
        var taken = Lock("acquire", b);
        var status = Lock("status", a);

        taken.ExitCode.ShouldBe(0, taken.ToString());
        status.ExitCode.ShouldBe(0, status.ToString());
        status.Stdout.ShouldContain("holders: unknown (FleetLock cannot list them)");
        Lock("acquire", a).ExitCode.ShouldBe(1);
    }

    [Fact]
    public void Status_on_a_server_that_is_not_listening_exits_3_naming_it()
    {
        int port = ClosedPorts.Take(1)[0];

        foreach (string url in new[] { $"http://127.0.0.1:{port}", $"https://127.0.0.1:{port}/airlock" })
        {
            var result = Lock("status", Config("web-a", url: url));

            result.ExitCode.ShouldBe(3, result.ToString());
            result.Stdout.ShouldBeEmpty();
            OneErrorLine(result).ShouldContain($"FleetLock server {url.TrimEnd('/')}/ cannot be reached (");
        }
    }

    [Theory]
    [InlineData(404, "404 page not found")]
    [InlineData(200, "<html>welcome</html>")]
    [InlineData(302, "")]
    public async Task Status_on_a_url_that_is_no_FleetLock_endpoint_exits_3(int status, string body)
    {
        var (app, address) = await LocalWebServer.StartAsync(async context =>
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsync(body);
        });
        await using var _ = app;

        var result = Lock("status", Config("web-a", url: address));

        result.ExitCode.ShouldBe(3, result.ToString());
        OneErrorLine(result).ShouldContain($"FleetLock server {address}/ ");
        OneErrorLine(result).ShouldContain($"HTTP {status} to GET v1/pre-reboot");
        OneErrorLine(result).ShouldEndWith("check [fleetlock] url is the FleetLock base URL");
    }

    [Theory]
    [InlineData(Unanswered.Hang)]
    [InlineData(Unanswered.Close)]
    public async Task An_acquire_the_server_carried_out_but_never_answered_says_the_slot_may_be_held_and_how_to_give_it_back(Unanswered mode)
    {
        await using var proxy = await UnansweringProxy.StartAsync(_server.Url, "/v1/pre-reboot", mode);
        string a = Config("web-a", url: proxy.Url.ToString());

        var result = Lock("acquire", a);

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Stdout.ShouldBeEmpty();
        string line = OneErrorLine(result);
        line.ShouldContain($"FleetLock server {proxy.Url}/ did not answer POST v1/pre-reboot (");
        line.ShouldContain("after the request was sent");
        line.ShouldEndWith($"the slot may now be held by this host: 'lockstep lock acquire' again makes sure of it, or give it back with 'lockstep lock release --config {a}'");
        proxy.WaitUntilSwallowed();
        _server.Holders(Group).ShouldBe(["web-a"]);

        var release = Lock("release", a);
        release.ExitCode.ShouldBe(0, release.ToString());
        _server.Holders(Group).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_release_that_went_unanswered_and_an_acquire_never_sent_claim_no_slot()
    {
        await using var proxy = await UnansweringProxy.StartAsync(_server.Url, "/v1/steady-state", Unanswered.Close);
        int port = ClosedPorts.Take(1)[0];

        var release = Lock("release", Config("web-a", url: proxy.Url.ToString()));
        var refused = Lock("acquire", Config("web-a", url: $"http://127.0.0.1:{port}"));

        release.ExitCode.ShouldBe(3, release.ToString());
        OneErrorLine(release).ShouldContain("did not answer POST v1/steady-state");
        refused.ExitCode.ShouldBe(3, refused.ToString());
        foreach (var result in new[] { release, refused })
        {
            result.Stderr.ShouldNotContain("may now be held");
        }
    }

    [Fact]
    public async Task An_https_url_naming_a_plain_http_server_says_the_server_does_not_speak_tls()
    {
        using var dir = new TempDir();
        await using var serve = await ServeProcess.StartAsync(dir.Path, $"backend = local\n[local]\npath = {dir["local.lock"]}\n[group {Group}]\nslots = 1\n");
        string[] plain = [_server.Url.ToString(), serve.Url + "/"];

        foreach (string url in plain)
        {
            string https = "https" + url["http".Length..];
            foreach (string action in new[] { "status", "acquire", "release" })
            {
                var result = Lock(action, Config("web-a", url: https));

                result.ExitCode.ShouldBe(3, result.ToString());
                OneErrorLine(result).ShouldContain($"FleetLock server {https.TrimEnd('/')}/: the server does not speak TLS (is it http://?)");
            }
        }

        _server.Requests.ShouldBeEmpty();
    }

    private static CliResult Lock(string action, string config, params string[] args) =>
        LockstepCli.Run(["lock", action, "--config", config, .. args]);

    private string Config(string holder, string lockName = Group, string? url = null) =>
        _dir.File($"{holder}-{Guid.NewGuid():N}.ini", $"""
            [main]
            backend = fleetlock
            lock_name = {lockName}
            holder_id = {holder}
            http_timeout = 2

            [fleetlock]
            url = {url ?? _server.Url.ToString()}
            """);
}
