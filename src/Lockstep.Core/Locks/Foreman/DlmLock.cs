using System.Text.Json.Serialization;

namespace Lockstep.Locks.Foreman;

/// <summary>A lock as Foreman's DLM plugin describes it (README "Foreman DLM"). Only name, enabled and host matter to Lockstep.</summary>
internal sealed record DlmLock(
    long? Id,
    string? Name,
    bool? Enabled,
    string? Type,
    long? HostId,
    string? CreatedAt,
    string? UpdatedAt,
    DlmHost? Host);

/// <summary>The holder of a lock; <c>self</c> is only sent to the holder itself on GET.</summary>
internal sealed record DlmHost(string? Name, bool? Self);

/// <summary>Foreman's error body: <c>{"error":{"message":"..."}}</c>.</summary>
internal sealed record DlmErrorBody(DlmErrorDetail? Error);

internal sealed record DlmErrorDetail(string? Message);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(DlmLock))]
[JsonSerializable(typeof(DlmErrorBody))]
internal sealed partial class DlmJsonContext : JsonSerializerContext;
