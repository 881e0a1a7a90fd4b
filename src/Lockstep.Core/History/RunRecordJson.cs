using System.Text.Json.Serialization;

namespace Lockstep.History;

/// <summary>
/// The writing side of <see cref="HistoryJson"/>: serialization-only source generation writes
/// straight to a Utf8JsonWriter without building property metadata, which keeps the first record
/// of every refresh off the start-up path.
/// </summary>
[JsonSourceGenerationOptions(
    GenerationMode = JsonSourceGenerationMode.Serialization,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RunRecord))]
internal sealed partial class RunRecordJson : JsonSerializerContext;
