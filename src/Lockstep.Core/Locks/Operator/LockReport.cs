using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lockstep.Locks.Operator;

/// <summary>What <c>lockstep lock status</c> shows: the lock, where it lives, its holders, slots and whether it is enabled.</summary>
public sealed record LockReport(string Backend, string Server, LockState State)
{
    public string ToText()
    {
        var text = new StringBuilder();
        text.Append("lock: ").Append(State.Name).Append('\n');
        text.Append("backend: ").Append(Backend).Append(" (").Append(Server).Append(")\n");
        text.Append("holders: ").Append(Holders()).Append('\n');
        if (State.Slots is { } slots)
        {
            text.Append("slots: ").Append(slots).Append('\n');
        }

        if (State.Enabled is { } enabled)
        {
            text.Append("enabled: ").Append(enabled ? "yes" : "no").Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The status as one JSON object; <c>holders</c> is null (and <c>holders_known</c> false) where the backend cannot list them.</summary>
    public string ToJson()
    {
        var document = new LockReportJson(
            State.Name,
            Backend,
            Server,
            State.HoldersKnown ? [.. State.Holders.Select(h => new LockHolderJson(h.Id, h.IsSelf))] : null,
            State.HoldersKnown,
            State.Slots,
            State.Enabled);
        return JsonSerializer.Serialize(document, LockReportJsonContext.Default.LockReportJson) + "\n";
    }

    private string Holders()
    {
        if (State.HoldersUnknownBecause is { } reason)
        {
            // "none" would tell the operator the lock is free when nobody can say.
            return $"unknown ({reason})";
        }

        return State.Holders.Count == 0 ? "none" : string.Join(", ", State.Holders.Select(h => h.IsSelf ? $"{h.Id} (this host)" : h.Id));
    }
}

internal sealed record LockReportJson(
    string Lock, string Backend, string Server, IReadOnlyList<LockHolderJson>? Holders, bool HoldersKnown, int? Slots, bool? Enabled);

internal sealed record LockHolderJson(string Id, bool Self);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(LockReportJson))]
internal sealed partial class LockReportJsonContext : JsonSerializerContext;
