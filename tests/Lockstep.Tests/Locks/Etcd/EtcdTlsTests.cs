using Lockstep.Config;
using Lockstep.Locks;
using Lockstep.Locks.Etcd;
using Lockstep.Tests.Support;
using Lockstep.Tests.Support.Servers;

namespace Lockstep.Tests.Locks.Etcd;

/// <summary>A one-member etcd serving clients over TLS only, requiring client certificates from the test CA.</summary>
public sealed class EtcdTlsFixture : IAsyncLifetime
{
    private readonly TempDir _dir = new();

    public TestCertificates Certificates { get; private set; } = null!;

    public EtcdCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Certificates = TestCertificates.Create(_dir.Path);
        var c = Certificates;
        Cluster = await EtcdCluster.StartAsync(1, new EtcdTls(c.ServerCertFile, c.ServerKeyFile, c.CaFile, c.ClientCertFile, c.ClientKeyFile));
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }

        _dir.Dispose();
    }
}

public sealed class EtcdTlsTests(EtcdTlsFixture fixture) : IClassFixture<EtcdTlsFixture>
{
    private TestCertificates Certs => fixture.Certificates;

    [Fact]
    public async Task With_the_ca_and_a_client_certificate_the_lock_works_over_tls()
    {
        await using var backend = Backend($"ca = {Certs.CaFile}\ncert = {Certs.ClientCertFile}\nkey = {Certs.ClientKeyFile}");
        string group = LockContexts.UniqueLockName();
        await backend.AcquireAsync(group, "web-1", default);
        (await backend.InspectAsync(group, "web-1", default)).HeldBySelf.ShouldBeTrue();
        await backend.ReleaseAsync(group, "web-1", default);
    }

    [Fact]
    public async Task A_server_certificate_the_system_does_not_trust_is_refused_by_default()
    {
        await using var backend = Backend($"cert = {Certs.ClientCertFile}\nkey = {Certs.ClientKeyFile}");
        var error = await Should.ThrowAsync<LockException>(() => backend.AcquireAsync("default", "web-1", default));
        error.Kind.ShouldBe(LockErrorKind.Refused);
        error.Message.ShouldContain(fixture.Cluster.ClientUrl(0));
        error.Message.ShouldContain("is not signed by a CA this system trusts; set [etcd] ca to the CA bundle that signed it");
        error.Message.ShouldContain("[etcd] ca, cert and key");
    }

    [Fact]
    public async Task A_client_certificate_the_server_rejects_is_refused_with_the_servers_alert()
    {
        await using var backend = Backend($"ca = {Certs.CaFile}");
        var error = await Should.ThrowAsync<LockException>(() => backend.AcquireAsync("default", "web-1", default));
        error.Kind.ShouldBe(LockErrorKind.Refused, error.Message);
        error.Message.ShouldContain("bad certificate");
        error.Message.ShouldContain(fixture.Cluster.ClientUrl(0));
    }

    [Fact]
    public void A_ca_file_that_holds_no_certificate_is_a_configuration_error()
    {
        var error = Should.Throw<ConfigException>(() => Backend($"ca = {Certs.ClientKeyFile}"));
        error.Message.ShouldContain($"[etcd] ca = '{Certs.ClientKeyFile}'");
    }

    private EtcdLockBackend Backend(string tls) =>
        (EtcdLockBackend)LockContexts.Backend($"[main]\nbackend = etcd\n[etcd]\nendpoints = {fixture.Cluster.EndpointsSetting}\n{tls}\n");
}
