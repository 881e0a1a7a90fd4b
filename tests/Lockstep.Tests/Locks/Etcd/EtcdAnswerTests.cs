using System.Text;
using Lockstep.Locks;
using Lockstep.Locks.Etcd;

namespace Lockstep.Tests.Locks.Etcd;

public sealed class EtcdAnswerTests
{
    private static readonly Uri Endpoint = new("http://10.0.0.1:2379/");

    [Fact]
    public void A_200_answer_is_read_with_int64_as_strings_and_zero_fields_left_out()
    {
        var answer = Read<TxnResponse>(200, """{"header":{"revision":"7"},"responses":[{"response_range":{"kvs":[{"key":"YQ==","mod_revision":"6","version":"2","value":"eA=="}],"count":"1"}}]}""");
        answer.Succeeded.ShouldBeFalse();
        var kv = answer.Responses![0].ResponseRange!.Kvs![0];
        kv.ModRevision.ShouldBe(6);
        kv.Version.ShouldBe(2);
        Encoding.UTF8.GetString(kv.Value!).ShouldBe("x");
        Read<TxnResponse>(200, """{"header":{},"succeeded":true}""").Succeeded.ShouldBeTrue();
        Read<RangeResponse>(200, """{"header":{"revision":"1"}}""").Kvs.ShouldBeNull();
    }

    [Theory]
    [InlineData(503, """{"error":"etcdserver: no leader","message":"etcdserver: no leader","code":14}""")]
    [InlineData(504, """{"error":"etcdserver: request timed out","code":4,"message":"etcdserver: request timed out"}""")]
    [InlineData(500, """{"code":14,"message":"etcdserver: leader changed","details":[]}""")]
    [InlineData(429, """{"code":8,"message":"etcdserver: too many requests"}""")]
    [InlineData(502, "<html>Bad Gateway</html>")]
    [InlineData(503, "")]
    public void Answers_another_member_may_do_better_on_send_the_call_to_the_next_endpoint(int status, string body) =>
        Should.Throw<EtcdUnavailableException>(() => Read<RangeResponse>(status, body));

    [Theory]
    [InlineData(401, """{"code":16,"message":"etcdserver: user name is empty"}""", LockErrorKind.Refused)]
    [InlineData(403, """{"code":7,"message":"etcdserver: permission denied"}""", LockErrorKind.Refused)]
    [InlineData(400, """{"code":3,"message":"etcdserver: key is not provided"}""", LockErrorKind.Protocol)]
    [InlineData(404, "404 page not found", LockErrorKind.Protocol)]
    [InlineData(200, "<html><body>Welcome to nginx</body></html>", LockErrorKind.Protocol)]
    [InlineData(200, "null", LockErrorKind.Protocol)]
    public void Definite_answers_stop_with_a_kind_and_the_endpoint_named(int status, string body, LockErrorKind kind)
    {
        var error = Should.Throw<LockException>(() => Read<RangeResponse>(status, body));
        error.Kind.ShouldBe(kind);
        error.Message.ShouldContain("http://10.0.0.1:2379/");
        error.Message.ShouldNotContain("\n");
    }

    private static T Read<T>(int status, string body)
        where T : class =>
        EtcdAnswer.Read(Endpoint, status, Encoding.UTF8.GetBytes(body), (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)EtcdJsonContext.Default.GetTypeInfo(typeof(T))!);
}
