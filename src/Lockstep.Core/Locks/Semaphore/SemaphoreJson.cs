using System.Text.Json;
using System.Text.Json.Serialization;
using Lockstep.Json;

namespace Lockstep.Locks.Semaphore;

/// <summary>
/// The stored form, byte-compatible with coreos/airlock: <c>{"total_slots":N,"holders":["id",...]}</c>.
/// </summary>
public static class SemaphoreJson
{
    public const string Shape = "{\"total_slots\":N,\"holders\":[\"id\",...]}";

    public static byte[] Serialize(SlotSemaphore semaphore)
    {
        ArgumentNullException.ThrowIfNull(semaphore);
        var document = new SemaphoreDocument { TotalSlots = semaphore.TotalSlots, Holders = [.. semaphore.Holders] };
        return JsonSerializer.SerializeToUtf8Bytes(document, SemaphoreJsonContext.Default.SemaphoreDocument);
    }

    /// <summary>Reads a stored value; anything else is a <see cref="LockErrorKind.Protocol"/> error naming <paramref name="where"/>.</summary>
    public static SlotSemaphore Parse(ReadOnlySpan<byte> utf8, string where)
    {
        SemaphoreDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(utf8, SemaphoreJsonContext.Default.SemaphoreDocument);
        }
        catch (JsonException e)
        {
            throw Invalid(utf8, where, JsonFailure.Reason(e));
        }

        if (document is null)
        {
            throw Invalid(utf8, where, "null");
        }

        if (document.TotalSlots is < 0 or > int.MaxValue)
        {
            throw Invalid(utf8, where, $"total_slots {document.TotalSlots} is out of range");
        }

        var holders = document.Holders ?? [];
        if (holders.Any(string.IsNullOrEmpty))
        {
            throw Invalid(utf8, where, "a holder id is empty or null");
        }

        return new SlotSemaphore((int)document.TotalSlots, holders);
    }

    private static LockException Invalid(ReadOnlySpan<byte> utf8, string where, string reason)
    {
        return new LockException(
            LockErrorKind.Protocol,
            $"{where} holds {Excerpt.Of(utf8, 80)}, which is not a semaphore {Shape} ({reason}); fix or delete it");
    }
}

internal sealed class SemaphoreDocument
{
    [JsonPropertyName("total_slots")]
    [JsonRequired]
    public long TotalSlots { get; set; }

    [JsonPropertyName("holders")]
    public List<string>? Holders { get; set; }
}

[JsonSerializable(typeof(SemaphoreDocument))]
internal sealed partial class SemaphoreJsonContext : JsonSerializerContext;
