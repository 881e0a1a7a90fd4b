using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lockstep.Serve;

/// <summary>
/// What the server answers: 200 with an empty body, or a status with airlock's error body
/// <c>{"kind":"...","value":"..."}</c> (kind for machines, value for people).
/// </summary>
public sealed record ServeAnswer(int Status, string? Kind = null, string? Value = null)
{
    /// <summary>The label metrics count the answer under: "ok" or the error's kind.</summary>
    public string Result => Kind ?? "ok";

    public static readonly ServeAnswer Ok = new(200);

    // airlock's kinds, so zincati and FleetLock clients read them as they read airlock's.
    public const string InvalidClientIdentity = "invalid_client_identity";
    public const string UnknownGroup = "unknown_group";
    public const string FailedLock = "failed_lock";
    public const string FailedSemaphoreInit = "failed_sem_init";

    // Lockstep's own, for what airlock does not check.
    public const string ForbiddenClientId = "forbidden_client_id";
    public const string RequestTooLarge = "request_too_large";
    public const string RequestTimeout = "request_timeout";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string NotFound = "not_found";

    public static ServeAnswer Error(int status, string kind, string value) => new(status, kind, value);

    /// <summary>The error body, empty for 200. Quotes in values stay readable (<c>\"</c>), as in Go's JSON.</summary>
    public byte[] Body()
    {
        if (Kind is null)
        {
            return [];
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            JsonSerializer.Serialize(writer, new ServeErrorBody { Kind = Kind, Value = Value ?? "" }, ServeJsonContext.Default.ServeErrorBody);
        }

        return buffer.ToArray();
    }
}

internal sealed class ServeErrorBody
{
    [JsonPropertyName("kind")] public required string Kind { get; init; }

    [JsonPropertyName("value")] public required string Value { get; init; }
}

/// <summary>A FleetLock request as sent; missing or null members read as empty, as airlock reads them.</summary>
internal sealed class ServeRequestBody
{
    [JsonPropertyName("client_params")] public ServeClientParams? ClientParams { get; set; }
}

internal sealed class ServeClientParams
{
    [JsonPropertyName("id")] public string? Id { get; set; }

    [JsonPropertyName("group")] public string? Group { get; set; }
}

[JsonSerializable(typeof(ServeErrorBody))]
[JsonSerializable(typeof(ServeRequestBody))]
internal sealed partial class ServeJsonContext : JsonSerializerContext;
