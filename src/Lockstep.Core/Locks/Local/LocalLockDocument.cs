using System.Text.Json.Serialization;

namespace Lockstep.Locks.Local;

/// <summary>The local lock file: each lock name with its holder.</summary>
internal sealed class LocalLockDocument
{
    public Dictionary<string, LocalLockEntry> Locks { get; set; } = new(StringComparer.Ordinal);
}

internal sealed class LocalLockEntry
{
    public string? Holder { get; set; }

    public DateTimeOffset? AcquiredAt { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LocalLockDocument))]
internal sealed partial class LocalLockJsonContext : JsonSerializerContext;
