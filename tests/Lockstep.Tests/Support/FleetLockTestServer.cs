using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Lockstep.Locks.Semaphore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Lockstep.Tests.Support;

/// <summary>
/// A FleetLock server on 127.0.0.1 behaving as coreos/airlock does (README "Lock backends", fleetlock): configured
/// groups, each a semaphore of Lockstep's pure rules; 200 on success; 400 with a kind/value body
/// for a bad request (missing header, bad body, unknown group); 500 failed_lock when full.
/// </summary>
public sealed class FleetLockTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, SlotSemaphore> _groups;
    private readonly Lock _gate = new();

    private FleetLockTestServer(WebApplication app, IDictionary<string, int> groups)
    {
        _app = app;
        _groups = new(groups.ToDictionary(g => g.Key, g => SlotSemaphore.Empty(g.Value)));
    }

    public Uri Url { get; private set; } = null!;

    /// <summary>Every request as received: path, the fleet-lock-protocol header (null when absent) and the body.</summary>
    public ConcurrentQueue<(string Path, string? Header, string Body)> Requests { get; } = new();

    /// <summary>
    /// When set, the holders are written to this file after every change, one "GROUP HOLDER" line
    /// each (whole, by rename), so that scripts of other processes can see who holds a group:
    /// FleetLock itself cannot say.
    /// </summary>
    public string? HoldersFile { get; set; }

    /// <summary>When set, every answer is this status and body instead (a proxy's error page, say).</summary>
    public (int Status, string Body)? Override { get; set; }

    public static async Task<FleetLockTestServer> StartAsync(IDictionary<string, int> groups)
    {
        FleetLockTestServer? server = null;
        var (app, address) = await LocalWebServer.StartAsync(context => server!.HandleAsync(context));
        server = new FleetLockTestServer(app, groups) { Url = new Uri(address + "/base") };
        return server;
    }

    public IReadOnlyList<string> Holders(string group) => _groups[group].Holders;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        string body = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync();
        string? header = context.Request.Headers.TryGetValue("fleet-lock-protocol", out var values) ? values.ToString() : null;
        string path = context.Request.Path.Value ?? "";
        Requests.Enqueue((path, header, body));
        var (status, answer) = Override ?? Answer(path, header, body);
        context.Response.StatusCode = status;
        if (answer.Length > 0)
        {
            // airlock sends its JSON errors through http.Error, as text/plain.
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(answer + "\n");
        }
    }

    private (int, string) Answer(string path, string? header, string body)
    {
        // airlock's handlers take any method: the header is checked first.
        bool take = path == "/base/v1/pre-reboot";
        if (!take && path != "/base/v1/steady-state")
        {
            return (404, "404 page not found");
        }

        if (header != "true")
        {
            return Error(400, "invalid_client_identity", "wrong 'fleet-lock-protocol' header");
        }

        string? id, group;
        try
        {
            using var json = JsonDocument.Parse(body);
            var client = json.RootElement.GetProperty("client_params");
            id = client.GetProperty("id").GetString();
            group = client.GetProperty("group").GetString();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return Error(400, "invalid_client_identity", $"failed to validate client identity: {e.Message}");
        }

        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(group))
        {
            return Error(400, "invalid_client_identity", "empty group or node ID");
        }

        lock (_gate)
        {
            if (!_groups.TryGetValue(group, out var semaphore))
            {
                return Error(400, "unknown_group", $"unknown group \"{group}\"");
            }

            var step = take ? semaphore.Lock(id) : semaphore.Unlock(id);
            if (step.Outcome == SemaphoreOutcome.Full)
            {
                return Error(500, "failed_lock", $"all {semaphore.TotalSlots} semaphore slots currently locked");
            }

            _groups[group] = step.Next ?? semaphore;
            MirrorHolders();
            return (200, "");
        }
    }

    private void MirrorHolders()
    {
        if (HoldersFile is { } path)
        {
            var lines = _groups.OrderBy(g => g.Key, StringComparer.Ordinal).SelectMany(g => g.Value.Holders.Select(h => $"{g.Key} {h}\n"));
            File.WriteAllText(path + ".new", string.Concat(lines));
            File.Move(path + ".new", path, overwrite: true);
        }
    }

    private static (int, string) Error(int status, string kind, string value) =>
        (status, JsonSerializer.Serialize(new Dictionary<string, string> { ["kind"] = kind, ["value"] = value }, ErrorJson.Default.DictionaryStringString));
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class ErrorJson : System.Text.Json.Serialization.JsonSerializerContext;
