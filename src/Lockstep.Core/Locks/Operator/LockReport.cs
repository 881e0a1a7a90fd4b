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
        text.Append("holders: ");
        text.Append(State.Holders.Count == 0 ? "none" : string.Join(", ", State.Holders.Select(h => h.IsSelf ? $"{h.Id} (this host)" : h.Id)));
        text.Append('\n');
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

    public string ToJson()
    {
        var document = new LockReportJson(
            State.Name,
            Backend,
            Server,
            [.. State.Holders.Select(h => new LockHolderJson(h.Id, h.IsSelf))],
            State.Slots,
            State.Enabled);
        return JsonSerializer.Serialize(document, LockReportJsonContext.Default.LockReportJson) + "\n";
    }
}

internal sealed record LockReportJson(string Lock, string Backend, string Server, IReadOnlyList<LockHolderJson> Holders, int? Slots, bool? Enabled);

internal sealed record LockHolderJson(string Id, bool Self);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(LockReportJson))]
internal sealed partial class LockReportJsonContext : JsonSerializerContext;
