using System.Text.Json.Serialization;

namespace Lockstep.Update;

/// <summary>The JSON form of <see cref="UpdateState"/> in the state file.</summary>
internal sealed class UpdateStateDocument
{
    public const string CurrentFormat = "lockstep-update-state/1";

    public string? Format { get; set; }

    public string? Step { get; set; }

    public DateTimeOffset? Since { get; set; }

    public string? LockName { get; set; }

    public string? HolderId { get; set; }

    public RebootDocument? Reboot { get; set; }

    internal sealed class RebootDocument
    {
        public string? BootId { get; set; }

        public DateTimeOffset? RequestedAt { get; set; }
    }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UpdateStateDocument))]
[JsonSerializable(typeof(ScriptRecordDocument))]
internal sealed partial class UpdateJsonContext : JsonSerializerContext;
