using System.Text;
using Lockstep.Config;
using Lockstep.Locks;
using Lockstep.Locks.FleetLock;

namespace Lockstep.Tests.Locks.FleetLock;

public sealed class FleetLockProtocolTests
{
    private static readonly Uri Server = new("https://airlock.example.com/");

    [Fact]
    public void The_body_carries_the_holder_id_and_the_group_in_client_params()
    {
        Encoding.UTF8.GetString(FleetLockProtocol.Body("web-1", "default"))
            .ShouldBe("""{"client_params":{"id":"web-1","group":"default"}}""");
        Encoding.UTF8.GetString(FleetLockProtocol.Body("h\"x", "g")).ShouldContain("""h\u0022x""");
    }

    [Theory]
    [InlineData(400, """{"kind":"invalid_client_identity","value":"wrong 'fleet-lock-protocol' header"}""", null)]
    [InlineData(400, "wrong 'fleet-lock-protocol' header", null)]
    [InlineData(405, """{"kind":"method_not_allowed","value":"GET is not a FleetLock call; use POST"}""", null)]
    [InlineData(403, "forbidden", null)]
    [InlineData(404, "404 page not found", LockErrorKind.Protocol)]
    [InlineData(200, "<html>welcome</html>", LockErrorKind.Protocol)]
    [InlineData(204, "", LockErrorKind.Protocol)]
    [InlineData(301, "", LockErrorKind.Protocol)]
    [InlineData(500, "boom", LockErrorKind.Unreachable)]
    [InlineData(503, "<html>503</html>", LockErrorKind.Unreachable)]
    public void The_probe_of_status_counts_any_refusal_but_404_as_a_fleetlock_server_answering(int status, string body, LockErrorKind? kind)
    {
        var failure = FleetLockProtocol.InterpretProbe(Server, status, Encoding.UTF8.GetBytes(body));

        ((LockErrorKind?)failure?.Kind).ShouldBe(kind);
        failure?.Message.ShouldStartWith($"FleetLock server {Server} ");
        failure?.Message.ShouldContain($"HTTP {status} to GET v1/pre-reboot");
    }

    [Theory]
    [InlineData("default", true)]
    [InlineData("workers.eu-1", true)]
    [InlineData("A9", true)]
    [InlineData("", false)]
    [InlineData("os updates", false)]
    [InlineData("a_b", false)]
    [InlineData("a/b", false)]
    [InlineData("é", false)]
    public void Group_names_are_letters_digits_dots_and_dashes(string group, bool valid)
    {
        FleetLockProtocol.IsValidGroup(group).ShouldBe(valid);
        if (!valid)
        {
            Should.Throw<ConfigException>(() => FleetLockProtocol.CheckGroup(group, "/etc/x.ini:3: [main] lock_name"))
                .Message.ShouldStartWith($"/etc/x.ini:3: [main] lock_name = '{group}' is not a FleetLock group name");
        }
    }

    [Theory]
    [InlineData(FleetLockCall.PreReboot, 200, "")]
    [InlineData(FleetLockCall.SteadyState, 200, "")]
    [InlineData(FleetLockCall.PreReboot, 200, "<html>ok</html>")]
    public void Status_200_is_success_whatever_the_body(FleetLockCall call, int status, string body) =>
        FleetLockProtocol.Interpret(call, Server, "default", status, Encoding.UTF8.GetBytes(body)).ShouldBeNull();

    [Theory]
    [InlineData(FleetLockCall.PreReboot, 500, """{"kind":"failed_lock","value":"all 1 semaphore slots currently locked"}""", LockErrorKind.HeldByOther)]
    [InlineData(FleetLockCall.SteadyState, 500, """{"kind":"failed_lock","value":"conflict on semaphore detected"}""", LockErrorKind.Unreachable)]
    [InlineData(FleetLockCall.PreReboot, 500, """{"kind":"failed_sem_init","value":"etcd unreachable"}""", LockErrorKind.Unreachable)]
    [InlineData(FleetLockCall.PreReboot, 400, """{"kind":"invalid_client_identity","value":"wrong 'fleet-lock-protocol' header"}""", LockErrorKind.Refused)]
    [InlineData(FleetLockCall.SteadyState, 400, """{"kind":"unknown_group","value":"unknown group \"x\""}""", LockErrorKind.Refused)]
    [InlineData(FleetLockCall.PreReboot, 502, "<html>Bad Gateway</html>", LockErrorKind.Unreachable)]
    [InlineData(FleetLockCall.PreReboot, 503, "", LockErrorKind.Unreachable)]
    [InlineData(FleetLockCall.PreReboot, 404, "404 page not found", LockErrorKind.Protocol)]
    [InlineData(FleetLockCall.PreReboot, 500, "internal error", LockErrorKind.Protocol)]
    [InlineData(FleetLockCall.PreReboot, 302, "", LockErrorKind.Protocol)]
    [InlineData(FleetLockCall.PreReboot, 500, """{"kind":"","value":"x"}""", LockErrorKind.Protocol)]
    public void Every_other_answer_is_a_failure_of_a_kind_with_the_server_and_its_reason(
        FleetLockCall call, int status, string body, LockErrorKind kind)
    {
        var failure = FleetLockProtocol.Interpret(call, Server, "default", status, Encoding.UTF8.GetBytes(body));
        failure.ShouldNotBeNull();
        failure.Kind.ShouldBe(kind);
        failure.Message.ShouldContain("https://airlock.example.com/");
        failure.Message.ShouldContain($"HTTP {status}");
        failure.Message.ShouldNotContain("\n");
        if (body.StartsWith('{') && body.Contains("\"kind\":\"f", StringComparison.Ordinal))
        {
            failure.Message.ShouldContain(body.Split('"')[3]);
        }
    }

    [Theory]
    [InlineData("""{"kind":"failed_lock","value":"all 1 semaphore slots currently locked"}""", "failed_lock: all 1 semaphore slots currently locked")]
    [InlineData("""{"kind":"failed_lock","value":"conflict on semaphore detected"}""", "failed_lock: conflict on semaphore detected")]
    [InlineData("""{"kind":"failed_lock","value":"bad\u001b[2Jvalue"}""", "failed_lock: bad\\x1b[2Jvalue")]
    public void Failed_lock_carries_the_servers_own_reason_and_claims_no_holder(string body, string said)
    {
        var error = FleetLockProtocol.Interpret(FleetLockCall.PreReboot, Server, "default", 500, Encoding.UTF8.GetBytes(body))!;

        error.Kind.ShouldBe(LockErrorKind.HeldByOther);
        error.ServerReason.ShouldBe(said);
        error.Holders.ShouldBeEmpty();
        error.Message.ShouldBe($"FleetLock server {Server} gave no slot of group 'default' (HTTP 500 {said})");
    }
}
