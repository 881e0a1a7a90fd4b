using Lockstep.Locks;
using Lockstep.Locks.Etcd;
using Lockstep.Logging;
using Lockstep.Processes;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.Locks.Etcd;

[Collection(EtcdClusterCollection.Name)]
public sealed class EtcdFailoverTests(EtcdClusterFixture fixture)
{
    private const int SigStop = 19, SigCont = 18;

    [Fact]
    public async Task With_the_first_endpoints_member_stopped_calls_go_to_the_next_member()
    {
        var log = new RecordingLog();
        await using var backend = Backend(log);
        string group = LockContexts.UniqueLockName();
        await fixture.Cluster.StopMemberAsync(0);
        try
        {
            await backend.AcquireAsync(group, "web-1", default);
            (await backend.InspectAsync(group, "web-1", default)).HeldBySelf.ShouldBeTrue();
            await backend.ReleaseAsync(group, "web-1", default);
            (await backend.InspectAsync(group, "web-1", default)).Holders.ShouldBeEmpty();
        }
        finally
        {
            await fixture.Cluster.StartMemberAsync(0);
        }

        log.At(LogLevel.Debug).ShouldContain(l => l.StartsWith($"etcd endpoint {fixture.Cluster.ClientUrl(0)}/: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_member_that_accepts_but_never_answers_is_left_after_the_timeout()
    {
        var log = new RecordingLog();
        await using var backend = Backend(log, timeoutSeconds: 1);
        string group = LockContexts.UniqueLockName();
        int pid = fixture.Cluster.MemberPid(0);
        LibC.kill(pid, SigStop).ShouldBe(0);
        try
        {
            await backend.AcquireAsync(group, "web-1", default);
        }
        finally
        {
            LibC.kill(pid, SigCont).ShouldBe(0);
        }

        (await backend.InspectAsync(group, "web-1", default)).HeldBySelf.ShouldBeTrue();
        log.At(LogLevel.Debug).ShouldContain(l => l.Contains("no answer within 1 s", StringComparison.Ordinal));
    }

    private EtcdLockBackend Backend(RecordingLog log, double timeoutSeconds = 2)
    {
        string ini = $"[main]\nbackend = etcd\n[etcd]\nendpoints = {fixture.Cluster.EndpointsSetting}\n";
        return (EtcdLockBackend)LockContexts.Backend(ini, timeoutSeconds: timeoutSeconds, log: log);
    }
}
