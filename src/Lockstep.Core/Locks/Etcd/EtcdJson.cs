using System.Text.Json.Serialization;

namespace Lockstep.Locks.Etcd;

// The v3 JSON gateway's messages (grpc-gateway with proto field names). Bytes travel as base64,
// int64 as strings, and fields at their zero value are left out of answers: an absent
// "succeeded" means false, an absent "kvs" means no such key.

internal sealed class RangeRequest
{
    [JsonPropertyName("key")] public required byte[] Key { get; init; }

    /// <summary>With it, every key from Key up to (not including) RangeEnd: a prefix's keys.</summary>
    [JsonPropertyName("range_end")] public byte[]? RangeEnd { get; init; }
}

internal sealed class DeleteRangeRequest
{
    [JsonPropertyName("key")] public required byte[] Key { get; init; }
}

internal sealed class PutRequest
{
    [JsonPropertyName("key")] public required byte[] Key { get; init; }

    [JsonPropertyName("value")] public required byte[] Value { get; init; }
}

internal sealed class Compare
{
    [JsonPropertyName("target")] public required string Target { get; init; }

    [JsonPropertyName("result")] public string Result { get; init; } = "EQUAL";

    [JsonPropertyName("key")] public required byte[] Key { get; init; }

    // Sent explicitly even when 0, so the gateway sets the compare's target value rather than leaving it unset.
    [JsonPropertyName("version")] public long? Version { get; init; }

    [JsonPropertyName("mod_revision")] public long? ModRevision { get; init; }
}

internal sealed class RequestOp
{
    [JsonPropertyName("request_put")] public PutRequest? RequestPut { get; init; }

    [JsonPropertyName("request_range")] public RangeRequest? RequestRange { get; init; }

    [JsonPropertyName("request_delete_range")] public DeleteRangeRequest? RequestDeleteRange { get; init; }
}

internal sealed class TxnRequest
{
    [JsonPropertyName("compare")] public required List<Compare> Compare { get; init; }

    [JsonPropertyName("success")] public required List<RequestOp> Success { get; init; }

    [JsonPropertyName("failure")] public required List<RequestOp> Failure { get; init; }
}

internal sealed class KeyValue
{
    [JsonPropertyName("key")] public byte[]? Key { get; set; }

    [JsonPropertyName("value")] public byte[]? Value { get; set; }

    [JsonPropertyName("version")] public long Version { get; set; }

    [JsonPropertyName("mod_revision")] public long ModRevision { get; set; }
}

internal sealed class RangeResponse
{
    [JsonPropertyName("kvs")] public List<KeyValue>? Kvs { get; set; }
}

internal sealed class ResponseOp
{
    [JsonPropertyName("response_range")] public RangeResponse? ResponseRange { get; set; }
}

internal sealed class TxnResponse
{
    [JsonPropertyName("succeeded")] public bool Succeeded { get; set; }

    [JsonPropertyName("responses")] public List<ResponseOp>? Responses { get; set; }
}

internal sealed class GatewayError
{
    [JsonPropertyName("code")] public int Code { get; set; }

    [JsonPropertyName("message")] public string? Message { get; set; }

    [JsonPropertyName("error")] public string? Error { get; set; }
}

[JsonSourceGenerationOptions(
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RangeRequest))]
[JsonSerializable(typeof(TxnRequest))]
[JsonSerializable(typeof(RangeResponse))]
[JsonSerializable(typeof(TxnResponse))]
[JsonSerializable(typeof(GatewayError))]
internal sealed partial class EtcdJsonContext : JsonSerializerContext;
