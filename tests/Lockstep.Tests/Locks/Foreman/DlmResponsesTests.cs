using Lockstep.Http;
using Lockstep.Locks;
using Lockstep.Locks.Foreman;

namespace Lockstep.Tests.Locks.Foreman;

public sealed class DlmResponsesTests
{
    private const string Request = "PUT https://foreman.example.com/api/dlmlocks/updates/lock";
    private const string Json = "application/json";
    private const string LockBody = """{"id":3,"name":"updates","enabled":true,"type":"ForemanDlm::Dlmlock::Update","host_id":7,"created_at":"2025-01-06 08:00:00 UTC","updated_at":"2025-01-06 08:05:00 UTC","host":{"name":"web1.example.com"}}""";
    private const string Precondition = """{"error":{"message":"Precondition failed. Lock is in invalid state for this operation."}}""";

    [Theory]
    [InlineData("Acquire", 200, Json, LockBody, "Done")]
    [InlineData("Release", 200, "application/json", """{"id":3,"name":"updates","enabled":true,"host":null}""", "Done")]
    [InlineData("Show", 200, "application/vnd.foreman+json", LockBody, "Done")]
    [InlineData("Show", 404, Json, """{"error":{"message":"Resource dlmlock not found"}}""", "Unknown")]
    [InlineData("Release", 404, "text/html", "<h1>Not Found</h1>", "Unknown")]
    [InlineData("Acquire", 412, Json, Precondition, "Conflict")]
    [InlineData("Release", 412, Json, Precondition, "Conflict")]
    [InlineData("Acquire", 401, Json, """{"error":{"message":"Unable to authenticate user"}}""", "Refused")]
    [InlineData("Show", 401, null, "", "Refused")]
    [InlineData("Release", 403, Json, """{"error":{"message":"Access denied"}}""", "Refused")]
    [InlineData("Acquire", 404, Json, "{}", "Protocol")]
    [InlineData("Show", 412, Json, Precondition, "Protocol")]
    [InlineData("Acquire", 415, Json, """{"error":{"message":"Unsupported Media Type"}}""", "Protocol")]
    [InlineData("Acquire", 500, Json, """{"error":{"message":"Internal Server Error"}}""", "Protocol")]
    [InlineData("Acquire", 502, "text/html", "<html><body>Bad Gateway</body></html>", "Protocol")]
    [InlineData("Show", 503, null, "", "Protocol")]
    [InlineData("Acquire", 302, "text/html", "<a href=/users/login>", "Protocol")]
    [InlineData("Acquire", 200, "text/html", "<html>Please log in</html>", "Protocol")]
    [InlineData("Acquire", 200, null, "", "Protocol")]
    [InlineData("Acquire", 200, Json, "<html>not json</html>", "Protocol")]
    [InlineData("Acquire", 200, Json, "null", "Protocol")]
    [InlineData("Acquire", 200, Json, """{"id":"three"}""", "Protocol")]
    [InlineData("Acquire", 500, Json, "{not json", "Protocol")]
    public void Every_answer_maps_to_an_outcome_or_an_error_kind(string call, int status, string? mediaType, string body, string expected)
    {
        string actual;
        try
        {
            actual = DlmResponses.Interpret(Enum.Parse<DlmCall>(call), Request, new HttpAnswer(status, mediaType, body)).Kind.ToString();
        }
        catch (LockException e)
        {
            actual = e.Kind.ToString();
            e.Message.ShouldStartWith(Request, customMessage: "every error names the request");
            e.Message.ShouldNotContain("\n");
        }

        actual.ShouldBe(expected);
    }

    [Fact]
    public void A_proxy_error_page_is_reported_with_its_status_and_content_type_not_parsed()
    {
        var error = Should.Throw<LockException>(() =>
            DlmResponses.Interpret(DlmCall.Acquire, Request, new HttpAnswer(502, "text/html", "<html><title>502 Bad Gateway</title></html>")));

        error.Message.ShouldBe($"{Request}: the server failed with 502, text/html, not JSON; check the Foreman server (and any proxy in front of it), then try again");
    }

    [Fact]
    public void A_server_error_in_json_carries_the_servers_message()
    {
        var error = Should.Throw<LockException>(() =>
            DlmResponses.Interpret(DlmCall.Release, Request, new HttpAnswer(500, Json, """{"error":{"message":"PG::ConnectionBad\nretry"}}""")));

        error.Message.ShouldContain("500: PG::ConnectionBad retry;");
    }

    [Fact]
    public void An_unauthorized_answer_points_at_the_client_certificate_settings()
    {
        var error = Should.Throw<LockException>(() => DlmResponses.Interpret(DlmCall.Acquire, Request, new HttpAnswer(401, Json, "{}")));

        error.Kind.ShouldBe(LockErrorKind.Refused);
        error.Message.ShouldContain("client_crt and client_key");
    }

    [Fact]
    public void A_lock_answer_is_read_with_its_holder()
    {
        var outcome = DlmResponses.Interpret(DlmCall.Acquire, Request, new HttpAnswer(200, Json, LockBody));

        outcome.Lock.ShouldNotBeNull();
        outcome.Lock.Name.ShouldBe("updates");
        outcome.Lock.Enabled.ShouldBe(true);
        outcome.Lock.HostId.ShouldBe(7);
        outcome.Lock.Host!.Name.ShouldBe("web1.example.com");
        outcome.Lock.Host.Self.ShouldBeNull();
    }
}
