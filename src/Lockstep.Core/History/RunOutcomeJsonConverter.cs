using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lockstep.History;

/// <summary>
/// Outcomes as snake_case strings in JSON and tables. Written by hand instead of
/// JsonStringEnumConverter: that one is a generic instantiation the runtime must JIT and fills its
/// name table by reflection, both on the start-up path of every refresh.
/// </summary>
public sealed class RunOutcomeJsonConverter : JsonConverter<RunOutcome>
{
    public static string Name(RunOutcome outcome) => outcome switch
    {
        RunOutcome.Running => "running",
        RunOutcome.Succeeded => "succeeded",
        RunOutcome.Failed => "failed",
        RunOutcome.TimedOut => "timed_out",
        RunOutcome.Interrupted => "interrupted",
        RunOutcome.Skipped => "skipped",
        RunOutcome.LockHeld => "lock_held",
        RunOutcome.NotStarted => "not_started",
        _ => "did_not_finish",
    };

    public static RunOutcome? Parse(string? name) => name switch
    {
        "running" => RunOutcome.Running,
        "succeeded" => RunOutcome.Succeeded,
        "failed" => RunOutcome.Failed,
        "timed_out" => RunOutcome.TimedOut,
        "interrupted" => RunOutcome.Interrupted,
        "skipped" => RunOutcome.Skipped,
        "lock_held" => RunOutcome.LockHeld,
        "not_started" => RunOutcome.NotStarted,
        "did_not_finish" => RunOutcome.DidNotFinish,
        _ => null,
    };

    public override RunOutcome Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string? name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return Parse(name) ?? throw new JsonException($"unknown outcome '{name}'");
    }

    public override void Write(Utf8JsonWriter writer, RunOutcome value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(Name(value));
    }
}
