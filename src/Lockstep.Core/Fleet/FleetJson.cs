using System.Text.Json;
using System.Text.Json.Serialization;
using Lockstep.Json;

namespace Lockstep.Fleet;

/// <summary>The stored documents of the fleet store, snake_case, source-generated (no reflection: the binary is NativeAOT).</summary>
public static class FleetJson
{
    public static byte[] Serialize(HostReport report) => JsonSerializer.SerializeToUtf8Bytes(report, FleetJsonContext.Default.HostReport);

    public static byte[] Serialize(PauseRecord pause) => JsonSerializer.SerializeToUtf8Bytes(pause, FleetJsonContext.Default.PauseRecord);

    public static byte[] Serialize(List<AuditEntry> audit) => JsonSerializer.SerializeToUtf8Bytes(audit, FleetJsonContext.Default.ListAuditEntry);

    /// <summary>The report, or null with <paramref name="problem"/> saying why it cannot be read.</summary>
    public static HostReport? ParseReport(ReadOnlySpan<byte> utf8, out string? problem) => Parse(utf8, FleetJsonContext.Default.HostReport, out problem);

    public static PauseRecord? ParsePause(ReadOnlySpan<byte> utf8, out string? problem) => Parse(utf8, FleetJsonContext.Default.PauseRecord, out problem);

    public static List<AuditEntry>? ParseAudit(ReadOnlySpan<byte> utf8, out string? problem) => Parse(utf8, FleetJsonContext.Default.ListAuditEntry, out problem);

    private static T? Parse<T>(ReadOnlySpan<byte> utf8, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info, out string? problem)
        where T : class
    {
        try
        {
            var value = JsonSerializer.Deserialize(utf8, info);
            problem = value is null ? "null" : null;
            return value;
        }
        catch (JsonException e)
        {
            problem = JsonFailure.Reason(e);
            return null;
        }
    }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(HostReport))]
[JsonSerializable(typeof(PauseRecord))]
[JsonSerializable(typeof(List<AuditEntry>))]
[JsonSerializable(typeof(FleetStatusJson))]
internal sealed partial class FleetJsonContext : JsonSerializerContext;
