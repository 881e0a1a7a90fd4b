using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Lockstep.Tests.Support;
using Lockstep.Tests.Support.ForemanDlm;

namespace Lockstep.Tests.Serve;

/// <summary>
/// <c>lockstep serve</c> over TLS with <c>client_ca</c>: a client may only take or free the slot of
/// the id its certificate names; no certificate, another CA's or another host's is a 403 with a
/// FleetLock body. The certificate is reloaded on SIGHUP, also under nohup, and a bad renewal keeps the old one.
/// </summary>
public sealed class ServeTlsTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private TestCertificateAuthority? _ca;
    private TestCertificateAuthority? _stranger;
    private ServeProcess? _server;

    private ServeProcess Server => _server!;

    private TestCertificateAuthority Ca => _ca!;

    public async Task InitializeAsync()
    {
        _ca = new TestCertificateAuthority("serve-ca", _dir.Dir("ca"));
        _stranger = new TestCertificateAuthority("other-ca", _dir.Dir("other"));
        WriteServerCertificate();
        _server = await ServeProcess.StartAsync(
            _dir.Path,
            $"backend = local\ntls_cert = {_dir["server.pem"]}\ntls_key = {_dir["server-key.pem"]}\nclient_ca = {Ca.PemPath}\n[local]\npath = {_dir["local.lock"]}\n[group workers]\nslots = 1\n",
            tls: true,
            signalDisposition: "--ignore-signal=HUP"); // as nohup starts it: HUP still reloads
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _ca?.Dispose();
        _stranger?.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Only_the_id_a_certificate_names_may_take_or_free_its_slot()
    {
        var (nodeA, nodeAKey) = Ca.IssueClient("node-a");
        var (nodeB, nodeBKey) = Ca.IssueClient("node-b");
        var (forged, forgedKey) = _stranger!.IssueClient("node-a");

        Call("pre-reboot", "node-a", "--cert", nodeA, "--key", nodeAKey).Status.ShouldBe(200);
        var noCertificate = Call("steady-state", "node-a");
        var otherHost = Call("steady-state", "node-a", "--cert", nodeB, "--key", nodeBKey);
        var otherCa = Call("steady-state", "node-a", "--cert", forged, "--key", forgedKey);
        var takeForOther = Call("pre-reboot", "node-b", "--cert", nodeA, "--key", nodeAKey);

        foreach (var refused in new[] { noCertificate, otherHost, otherCa, takeForOther })
        {
            refused.Status.ShouldBe(403, refused.ToString());
            ServeProtocolTests.Kind(refused).Kind.ShouldBe("forbidden_client_id");
        }

        ServeProtocolTests.Kind(noCertificate).Value.ShouldContain("none was presented");
        ServeProtocolTests.Kind(otherHost).Value.ShouldBe("the client certificate names \"node-b\", not id \"node-a\"; a client may only take or free its own slot");
        ServeProtocolTests.Kind(otherCa).Value.ShouldContain("not signed by the server's client CA");
        Server.Log.Split('\n').Count(l => l.Contains("forbidden_client_id", StringComparison.Ordinal)).ShouldBe(4, Server.Log);

        // node-a still holds the slot: node-b is refused, and node-a frees it with its own certificate.
        Call("pre-reboot", "node-b", "--cert", nodeB, "--key", nodeBKey).Status.ShouldBe(500);
        Call("steady-state", "node-a", "--cert", nodeA, "--key", nodeAKey).Status.ShouldBe(200);
        Call("pre-reboot", "node-b", "--cert", nodeB, "--key", nodeBKey).Status.ShouldBe(200);
    }

    [Fact]
    public void A_lockstep_host_on_the_fleetlock_backend_takes_its_slot_with_its_certificate()
    {
        var (cert, key) = Ca.IssueClient("db-1");
        string config = _dir.File("update.ini", $"[main]\nbackend = fleetlock\nlock_name = workers\nholder_id = db-1\n[fleetlock]\nurl = {Server.Url}\nca = {Ca.PemPath}\ncert = {cert}\nkey = {key}\n");
        string impostor = _dir.File("impostor.ini", $"[main]\nbackend = fleetlock\nlock_name = workers\nholder_id = db-2\n[fleetlock]\nurl = {Server.Url}\nca = {Ca.PemPath}\ncert = {cert}\nkey = {key}\n");

        var acquired = LockstepCli.Run("lock", "acquire", "--config", config);
        var refused = LockstepCli.Run("lock", "release", "--config", impostor);

        acquired.ExitCode.ShouldBe(0, acquired.ToString());
        refused.ExitCode.ShouldBe(4, refused.ToString());
        refused.Stderr.ShouldContain("HTTP 403 forbidden_client_id: the client certificate names \"db-1\", not id \"db-2\"");
        LockstepCli.Run("lock", "release", "--config", config).ExitCode.ShouldBe(0);
    }

    [Fact]
    public void Health_and_metrics_need_no_client_certificate_and_plain_http_gets_no_answer()
    {
        Curl.Run("--cacert", Ca.PemPath, $"{Server.Url}/-/healthy").ShouldBe(new CurlAnswer(200, "healthy\n", ""));
        Curl.Run("--cacert", Ca.PemPath, $"{Server.Url}/metrics").Status.ShouldBe(200);
        Curl.Run($"http://127.0.0.1:{Server.Port}/-/healthy").Status.ShouldNotBe(200);
    }

    [Fact]
    public async Task Sighup_reloads_the_certificate_and_a_bad_renewal_keeps_the_old_one()
    {
        string before = await ServedSerialAsync();
        string renewed = WriteServerCertificate();
        renewed.ShouldNotBe(before);

        Server.Signal(1);
        await WaitForLogAsync("SIGHUP: TLS files reloaded");
        (await ServedSerialAsync()).ShouldBe(renewed);

        File.WriteAllText(_dir["server-key.pem"], "not a key\n");
        Server.Signal(1);
        await WaitForLogAsync("SIGHUP: TLS files not reloaded, still serving the previous ones");
        (await ServedSerialAsync()).ShouldBe(renewed);
        Curl.Run("--cacert", Ca.PemPath, $"{Server.Url}/-/healthy").Status.ShouldBe(200);
    }

    private CurlAnswer Call(string endpoint, string id, params string[] certificate) =>
        Curl.FleetLock(Server.Url, endpoint, id, "workers", ["--cacert", Ca.PemPath, .. certificate]);

    /// <summary>Issues a new server certificate into server.pem and server-key.pem; returns its serial.</summary>
    private string WriteServerCertificate()
    {
        using var certificate = Ca.IssueServer();
        using var key = certificate.GetECDsaPrivateKey()!;
        File.WriteAllText(_dir["server.pem"], certificate.ExportCertificatePem());
        File.WriteAllText(_dir["server-key.pem"], key.ExportPkcs8PrivateKeyPem());
        return certificate.SerialNumber;
    }

    private async Task<string> ServedSerialAsync()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", Server.Port);
        using var tls = new SslStream(tcp.GetStream(), false, (_, served, _, _) => served is X509Certificate2 certificate && Ca.VerifiedCommonName(certificate) is not null);
        await tls.AuthenticateAsClientAsync("localhost");
        return new X509Certificate2(tls.RemoteCertificate!).SerialNumber;
    }

    private async Task WaitForLogAsync(string text)
    {
        for (int i = 0; i < 500 && !Server.Log.Contains(text, StringComparison.Ordinal); i++)
        {
            await Task.Delay(20);
        }

        Server.Log.ShouldContain(text);
    }
}
