using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Lockstep.Tests.Support.ForemanDlm;

/// <summary>The API itself: <c>/api/dlmlocks/{name}/lock</c> with PUT (acquire), DELETE (release) and GET (show).</summary>
public sealed partial class ForemanDlmServer
{
    private const string Prefix = "/api/dlmlocks/";
    private const string Suffix = "/lock";
    private const string PreconditionFailed = "Precondition failed. Lock is in invalid state for this operation.";

    private async Task HandleAsync(HttpContext http)
    {
        // The raw target, because the name's escaping (%2F and all) is part of what is tested.
        string target = http.Features.Get<IHttpRequestFeature>()!.RawTarget;
        string? host = _authority.VerifiedCommonName(http.Connection.ClientCertificate);
        _requests.Enqueue(new DlmRequest(http.Request.Method, target, http.Request.ContentType, host));
        if (_hang)
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, _stopping.Token);
            await Task.Delay(Timeout.Infinite, either.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        if (_fixedAnswer is { } fixedAnswer)
        {
            await Answer(http, fixedAnswer.Status, fixedAnswer.ContentType, fixedAnswer.Body);
            return;
        }

        string? name = LockName(target);
        if (name is null)
        {
            await Error(http, 404, "Resource not found");
            return;
        }

        if (host is null)
        {
            await Error(http, 401, "Unable to authenticate user");
            return;
        }

        if (http.Request.Method is "PUT" or "DELETE" && !IsJson(http.Request.ContentType))
        {
            await Error(http, 415, "Unsupported Media Type");
            return;
        }

        switch (http.Request.Method)
        {
            case "GET":
                var shown = Locks.Find(name);
                await (shown is null ? Error(http, 404, $"Resource dlmlock not found by id '{name}'") : Json(http, 200, shown, host));
                break;
            case "PUT":
                await Changed(http, Locks.Acquire(name, host));
                break;
            case "DELETE":
                await Changed(http, Locks.Release(name, host));
                break;
            default:
                await Error(http, 405, "Method not allowed");
                break;
        }
    }

    private static string? LockName(string target)
    {
        int query = target.IndexOf('?', StringComparison.Ordinal);
        string path = query < 0 ? target : target[..query];
        if (!path.StartsWith(Prefix, StringComparison.Ordinal) || !path.EndsWith(Suffix, StringComparison.Ordinal) || path.Length <= Prefix.Length + Suffix.Length)
        {
            return null;
        }

        string segment = path[Prefix.Length..^Suffix.Length];
        return segment.Contains('/', StringComparison.Ordinal) ? null : Uri.UnescapeDataString(segment);
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null && contentType.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private static Task Changed(HttpContext http, DlmServerLock? changed) =>
        changed is null ? Error(http, 412, PreconditionFailed) : Json(http, 200, changed, viewer: null);

    /// <summary>Foreman's rabl view of a lock; <c>host.self</c> only on a GET by the holder.</summary>
    private static Task Json(HttpContext http, int status, DlmServerLock shown, string? viewer)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("id", shown.Id);
            json.WriteString("name", shown.Name);
            json.WriteBoolean("enabled", shown.Enabled);
            json.WriteString("type", "ForemanDlm::Dlmlock::Update");
            if (shown.Holder is null)
            {
                json.WriteNull("host_id");
            }
            else
            {
                json.WriteNumber("host_id", HostId(shown.Holder));
            }

            json.WriteString("created_at", shown.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss 'UTC'"));
            json.WriteString("updated_at", shown.UpdatedAt.ToString("yyyy-MM-dd HH:mm:ss 'UTC'"));
            if (shown.Holder is null)
            {
                json.WriteNull("host");
            }
            else
            {
                json.WriteStartObject("host");
                json.WriteString("name", shown.Holder);
                if (viewer == shown.Holder)
                {
                    json.WriteBoolean("self", true);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return Answer(http, status, "application/json; charset=utf-8", System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static Task Error(HttpContext http, int status, string message) =>
        Answer(http, status, "application/json; charset=utf-8", new JsonObject { ["error"] = new JsonObject { ["message"] = message } }.ToJsonString());

    private static async Task Answer(HttpContext http, int status, string contentType, string body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = contentType;
        await http.Response.WriteAsync(body);
    }

    private static long HostId(string host) => host.Aggregate(7L, (sum, c) => ((sum * 31) + c) % 100_000);
}
