using System.Text;
using Lockstep.Serve;

namespace Lockstep.Tests.Serve;

/// <summary>The request check, in airlock's order and with airlock's answers.</summary>
public sealed class FleetLockRequestTests
{
    private static readonly Dictionary<string, int> Groups = new() { ["workers"] = 2, ["default"] = 1 };

    [Theory]
    [InlineData(null, """{"client_params":{"id":"a","group":"workers"}}""", "invalid_client_identity", "failed to validate client identity: wrong 'fleet-lock-protocol' header")]
    [InlineData("false", """{"client_params":{"id":"a","group":"workers"}}""", "invalid_client_identity", "failed to validate client identity: wrong 'fleet-lock-protocol' header")]
    [InlineData("TRUE", """{"client_params":{"id":"a","group":"workers"}}""", "invalid_client_identity", "failed to validate client identity: wrong 'fleet-lock-protocol' header")]
    [InlineData(null, "not json", "invalid_client_identity", "failed to validate client identity: wrong 'fleet-lock-protocol' header")]
    [InlineData("true", "", "invalid_client_identity", "failed to validate client identity: body is not FleetLock JSON")]
    [InlineData("true", "{\"client_params\":", "invalid_client_identity", "failed to validate client identity: body is not FleetLock JSON")]
    [InlineData("true", """{"client_params":{"id":7,"group":"workers"}}""", "invalid_client_identity", "failed to validate client identity: body is not FleetLock JSON")]
    [InlineData("true", "[]", "invalid_client_identity", "failed to validate client identity: body is not FleetLock JSON")]
    [InlineData("true", "{}", "invalid_client_identity", "failed to validate client identity: empty client group")]
    [InlineData("true", """{"client_params":null}""", "invalid_client_identity", "failed to validate client identity: empty client group")]
    [InlineData("true", """{"client_params":{"id":"","group":""}}""", "invalid_client_identity", "failed to validate client identity: empty client group")]
    [InlineData("true", """{"client_params":{"group":"workers"}}""", "invalid_client_identity", "failed to validate client identity: empty client ID")]
    [InlineData("true", """{"client_params":{"id":"","group":"nobody"}}""", "invalid_client_identity", "failed to validate client identity: empty client ID")]
    [InlineData("true", """{"client_params":{"id":"a","group":"nobody"}}""", "unknown_group", "unknown group \"nobody\"")]
    [InlineData("true", """{"client_params":{"id":"a","group":"Workers"}}""", "unknown_group", "unknown group \"Workers\"")]
    public void A_bad_request_gets_airlocks_400_and_kind(string? header, string body, string kind, string valueStart)
    {
        var (request, refusal) = FleetLockRequest.Read(header, Encoding.UTF8.GetBytes(body), Groups);

        request.ShouldBeNull();
        refusal.ShouldNotBeNull();
        refusal.Status.ShouldBe(400);
        refusal.Kind.ShouldBe(kind);
        refusal.Value!.ShouldStartWith(valueStart);
    }

    [Theory]
    [InlineData("""{"client_params":{"id":"a","group":"workers"}}""", "a", "workers")]
    [InlineData("""{"client_params":{"group":"default","id":"0b5e9c4f","extra":1},"other":[1,2]}""", "0b5e9c4f", "default")]
    [InlineData("""  {"client_params":{"id":"h\u00e9te","group":"workers"}}  """, "h\u00e9te", "workers")]
    public void A_good_request_names_its_id_and_group(string body, string id, string group)
    {
        var (request, refusal) = FleetLockRequest.Read("true", Encoding.UTF8.GetBytes(body), Groups);

        refusal.ShouldBeNull();
        request.ShouldBe(new FleetLockRequest(id, group));
    }

    [Fact]
    public void Error_bodies_are_airlocks_kind_and_value_with_readable_quotes()
    {
        Encoding.UTF8.GetString(ServeAnswer.Error(400, "unknown_group", "unknown group \"x\"").Body())
            .ShouldBe("""{"kind":"unknown_group","value":"unknown group \"x\""}""");
        ServeAnswer.Ok.Body().ShouldBeEmpty();
        ServeAnswer.Ok.Result.ShouldBe("ok");
    }
}
