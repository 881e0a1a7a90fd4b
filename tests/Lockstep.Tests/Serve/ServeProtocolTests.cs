using System.Text.Json;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.Serve;

/// <summary>
/// <c>lockstep serve</c> on a local lock file, driven by curl as zincati drives it: headers, bodies,
/// idempotency, and every error kind with its one log line.
/// </summary>
public sealed class ServeProtocolTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private ServeProcess? _server;

    private ServeProcess Server => _server!;

    public async Task InitializeAsync() =>
        _server = await ServeProcess.StartAsync(_dir.Path, $"backend = local\nrequest_timeout = 2\n[local]\npath = {_dir["state/local.lock"]}\n[group workers]\nslots = 1\n[group db]\nslots = 1\n");

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public void Pre_reboot_and_steady_state_answer_as_airlock_and_are_idempotent()
    {
        var first = Curl.FleetLock(Server.Url, "pre-reboot", "node-a", "workers", "-i");
        first.Status.ShouldBe(200, first.ToString());
        first.Body.ShouldContain("Content-Length: 0");

        Curl.FleetLock(Server.Url, "pre-reboot", "node-a", "workers").ShouldBe(new CurlAnswer(200, "", ""));
        var full = Curl.FleetLock(Server.Url, "pre-reboot", "node-b", "workers");
        full.Status.ShouldBe(500, full.ToString());
        Kind(full).ShouldBe(("failed_lock", "all 1 slot(s) of group \"workers\" are held; try again later"));

        // Groups are separate semaphores.
        Curl.FleetLock(Server.Url, "pre-reboot", "node-b", "db").Status.ShouldBe(200);

        Curl.FleetLock(Server.Url, "steady-state", "node-b", "workers").Status.ShouldBe(200, "freeing a slot one does not hold changes nothing");
        Curl.FleetLock(Server.Url, "pre-reboot", "node-c", "workers").Status.ShouldBe(500);
        Curl.FleetLock(Server.Url, "steady-state", "node-a", "workers").Status.ShouldBe(200);
        Curl.FleetLock(Server.Url, "steady-state", "node-a", "workers").Status.ShouldBe(200);
        Curl.FleetLock(Server.Url, "pre-reboot", "node-c", "workers").Status.ShouldBe(200);
    }

    [Theory]
    [InlineData("missing header", "pre-reboot", new[] { "-X", "POST", "--data-binary", """{"client_params":{"id":"a","group":"workers"}}""" }, 400, "invalid_client_identity", "wrong 'fleet-lock-protocol' header")]
    [InlineData("header not true", "steady-state", new[] { "-X", "POST", "-H", "fleet-lock-protocol: yes", "--data-binary", """{"client_params":{"id":"a","group":"workers"}}""" }, 400, "invalid_client_identity", "wrong 'fleet-lock-protocol' header")]
    [InlineData("bad JSON", "pre-reboot", new[] { "-X", "POST", "-H", "fleet-lock-protocol: true", "--data-binary", "{\"client_params\":{\"id\":" }, 400, "invalid_client_identity", "body is not FleetLock JSON")]
    [InlineData("no body", "pre-reboot", new[] { "-X", "POST", "-H", "fleet-lock-protocol: true" }, 400, "invalid_client_identity", "body is not FleetLock JSON")]
    [InlineData("empty id", "pre-reboot", new[] { "-X", "POST", "-H", "fleet-lock-protocol: true", "--data-binary", """{"client_params":{"id":"","group":"workers"}}""" }, 400, "invalid_client_identity", "empty client ID")]
    [InlineData("empty group", "steady-state", new[] { "-X", "POST", "-H", "fleet-lock-protocol: true", "--data-binary", """{"client_params":{"id":"a"}}""" }, 400, "invalid_client_identity", "empty client group")]
    [InlineData("unknown group", "pre-reboot", new[] { "-X", "POST", "-H", "fleet-lock-protocol: true", "--data-binary", """{"client_params":{"id":"a","group":"nobody"}}""" }, 400, "unknown_group", "unknown group \"nobody\"")]
    [InlineData("GET", "pre-reboot", new[] { "-H", "fleet-lock-protocol: true" }, 405, "method_not_allowed", "GET is not a FleetLock call; use POST")]
    public void A_bad_request_gets_airlocks_answer_and_one_log_line(string what, string endpoint, string[] args, int status, string kind, string valuePart)
    {
        var answer = Curl.Run([.. args, $"{Server.Url}/v1/{endpoint}"]);

        answer.Status.ShouldBe(status, $"{what}: {answer}");
        var (gotKind, value) = Kind(answer);
        gotKind.ShouldBe(kind, what);
        value.ShouldContain(valuePart, Case.Sensitive, what);
        LogLinesWith(kind).ShouldBe(1, Server.Log);
        Curl.FleetLock(Server.Url, "pre-reboot", "node-z", "workers").Status.ShouldBe(200, "a refused request takes no slot");
    }

    [Fact]
    public void A_body_larger_than_16_KiB_is_refused_with_413_unread()
    {
        string big = $"{{\"client_params\":{{\"id\":\"{new string('x', 20_000)}\",\"group\":\"workers\"}}}}";
        string file = _dir.File("big.json", big);

        var answer = Curl.Run("-X", "POST", "-H", "fleet-lock-protocol: true", "--data-binary", $"@{file}", $"{Server.Url}/v1/pre-reboot");
        var chunked = Curl.Run("-X", "POST", "-H", "fleet-lock-protocol: true", "-H", "Transfer-Encoding: chunked", "--data-binary", $"@{file}", $"{Server.Url}/v1/pre-reboot");

        answer.Status.ShouldBe(413, answer.ToString());
        Kind(answer).Kind.ShouldBe("request_too_large");
        chunked.Status.ShouldBe(413, chunked.ToString());
        LogLinesWith("request_too_large").ShouldBe(2, Server.Log);
    }

    [Fact]
    public async Task A_body_that_does_not_arrive_within_request_timeout_gets_408()
    {
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync("127.0.0.1", Server.Port);
        var stream = client.GetStream();
        byte[] start = System.Text.Encoding.ASCII.GetBytes(
            "POST /v1/pre-reboot HTTP/1.1\r\nHost: 127.0.0.1\r\nfleet-lock-protocol: true\r\nContent-Length: 60\r\n\r\n{\"client_params\":");
        await stream.WriteAsync(start);

        using var reader = new StreamReader(stream);
        string? status = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));

        status.ShouldBe("HTTP/1.1 408 Request Timeout");
        LogLinesWith("request_timeout").ShouldBe(1, Server.Log);
        Curl.FleetLock(Server.Url, "pre-reboot", "node-a", "workers").Status.ShouldBe(200, "the server still serves");
    }

    [Fact]
    public void Unknown_paths_are_404_and_health_answers_without_a_store_call()
    {
        var unknown = Curl.Run($"{Server.Url}/v2/pre-reboot");
        unknown.Status.ShouldBe(404);
        Kind(unknown).Kind.ShouldBe("not_found");
        Curl.Run($"{Server.Url}/-/healthy").ShouldBe(new CurlAnswer(200, "healthy\n", ""));
        Curl.Run($"{Server.Url}/-/ready").ShouldBe(new CurlAnswer(200, "ready\n", ""));
    }

    [Fact]
    public void Metrics_pass_promtools_check_and_count_requests_by_endpoint_and_result()
    {
        Curl.FleetLock(Server.Url, "pre-reboot", "node-a", "workers").Status.ShouldBe(200);
        Curl.FleetLock(Server.Url, "pre-reboot", "node-b", "workers").Status.ShouldBe(500);
        Curl.FleetLock(Server.Url, "steady-state", "node-b", "nobody").Status.ShouldBe(400);

        var metrics = Curl.Run($"{Server.Url}/metrics");

        metrics.Status.ShouldBe(200);
        metrics.Body.ShouldContain("lockstep_serve_requests_total{endpoint=\"pre-reboot\",result=\"ok\"} 1\n");
        metrics.Body.ShouldContain("lockstep_serve_requests_total{endpoint=\"pre-reboot\",result=\"failed_lock\"} 1\n");
        metrics.Body.ShouldContain("lockstep_serve_requests_total{endpoint=\"steady-state\",result=\"unknown_group\"} 1\n");
        metrics.Body.ShouldContain("lockstep_serve_group_holders{group=\"workers\"} 1\n");
        metrics.Body.ShouldContain("lockstep_serve_group_holders{group=\"db\"} 0\n");
        metrics.Body.ShouldContain("lockstep_serve_store_errors_total 0\n");
        var check = Promtool(metrics.Body);
        check.ExitCode.ShouldBe(0, check.Output);
    }

    [Fact]
    public async Task Sigterm_stops_the_server_with_status_0()
    {
        (await Server.StopAsync()).ShouldBe(0, Server.Log);
        Server.Log.ShouldContain("SIGTERM: stopping");
    }

    private int LogLinesWith(string kind) =>
        Server.Log.Split('\n').Count(line => line.Contains(" serve WARN: 127.0.0.1:", StringComparison.Ordinal) && line.Contains($": {kind}: ", StringComparison.Ordinal));

    private static (int ExitCode, string Output) Promtool(string exposition)
    {
        var info = new System.Diagnostics.ProcessStartInfo("promtool", "check metrics") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = System.Diagnostics.Process.Start(info)!;
        process.StandardInput.Write(exposition);
        process.StandardInput.Close();
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }

    internal static (string Kind, string Value) Kind(CurlAnswer answer)
    {
        using var json = JsonDocument.Parse(answer.Body);
        json.RootElement.EnumerateObject().Select(p => p.Name).ShouldBe(["kind", "value"]);
        return (json.RootElement.GetProperty("kind").GetString()!, json.RootElement.GetProperty("value").GetString()!);
    }
}
