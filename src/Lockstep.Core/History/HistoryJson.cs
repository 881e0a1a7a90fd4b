using System.Text.Json.Serialization;

namespace Lockstep.History;

/// <summary>Source-generated JSON for run records: no reflection, so start-up stays short and trimming safe.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RunRecord))]
[JsonSerializable(typeof(List<RunRecord>))]
internal sealed partial class HistoryJson : JsonSerializerContext;
