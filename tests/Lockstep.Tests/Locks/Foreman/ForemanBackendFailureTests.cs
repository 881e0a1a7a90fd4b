using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Lockstep.Config;
using Lockstep.Locks;
using Lockstep.Locks.Foreman;
using Lockstep.Tests.Support;
using Lockstep.Tests.Support.ForemanDlm;

namespace Lockstep.Tests.Locks.Foreman;

/// <summary>The foreman backend when the server, the network or the certificates are not as they should be.</summary>
public sealed class ForemanBackendFailureTests : IDisposable
{
    private readonly ForemanDlmServer _server = ForemanDlmServer.Start();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task A_proxys_html_error_page_is_a_clear_protocol_error_naming_the_url_and_status()
    {
        await using var web1 = Backend(_server.WriteConfig("web1"));
        _server.AnswerEverythingWith(502, "text/html", "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>");

        var error = await Should.ThrowAsync<LockException>(() => web1.AcquireAsync("updates", "web1", default));

        error.Kind.ShouldBe(LockErrorKind.Protocol);
        error.Message.ShouldStartWith($"PUT {_server.Url}/api/dlmlocks/updates/lock: the server failed with 502, text/html, not JSON");
    }

    [Fact]
    public async Task A_login_page_answered_with_200_is_not_taken_for_a_lock()
    {
        await using var web1 = Backend(_server.WriteConfig("web1"));
        _server.AnswerEverythingWith(200, "text/html", "<html>Please log in</html>");

        var error = await Should.ThrowAsync<LockException>(() => web1.InspectAsync("updates", "web1", default));

        error.Kind.ShouldBe(LockErrorKind.Protocol);
        error.Message.ShouldContain("answered 200 with text/html instead of JSON");
    }

    [Fact]
    public async Task A_server_that_never_answers_is_unreachable_once_http_timeout_has_passed()
    {
        await using var web1 = Backend(_server.WriteConfig("web1"), TimeSpan.FromSeconds(1));
        _server.NeverAnswer();

        var error = await Should.ThrowAsync<LockException>(() => web1.AcquireAsync("updates", "web1", default));

        error.Kind.ShouldBe(LockErrorKind.Unreachable);
        error.Message.ShouldBe($"Foreman DLM at {_server.Url} did not answer within 1 s (PUT {_server.Url}/api/dlmlocks/updates/lock); check the server, or raise http_timeout");
        _server.Requests.ShouldHaveSingleItem().Method.ShouldBe("PUT");
    }

    [Fact]
    public async Task A_closed_port_is_unreachable_naming_the_server()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var web1 = Backend(Write(File.ReadAllText(_server.WriteConfig("web1")).Replace(_server.Url, $"https://127.0.0.1:{port}")));

        var error = await Should.ThrowAsync<LockException>(() => web1.AcquireAsync("updates", "web1", default));

        error.Kind.ShouldBe(LockErrorKind.Unreachable);
        error.Message.ShouldStartWith($"cannot reach Foreman DLM at https://127.0.0.1:{port} (PUT https://127.0.0.1:{port}/api/dlmlocks/updates/lock: Connection refused");
    }

    [Fact]
    public async Task A_server_certificate_from_a_ca_other_than_ca_is_rejected()
    {
        using var other = new TestCertificateAuthority("other", _server.Directory);
        await using var web1 = Backend(Write(File.ReadAllText(_server.WriteConfig("web1")).Replace(_server.CaPemPath, other.PemPath)));

        var error = await Should.ThrowAsync<LockException>(() => web1.AcquireAsync("updates", "web1", default));

        error.Kind.ShouldBe(LockErrorKind.Refused);
        error.Message.ShouldContain($"is not signed by a CA in ca = {other.PemPath}");
        _server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Without_ca_the_server_must_chain_to_a_ca_the_system_trusts()
    {
        string config = string.Join('\n', File.ReadAllLines(_server.WriteConfig("web1")).Where(l => !l.StartsWith("ca =", StringComparison.Ordinal)));
        await using var web1 = Backend(Write(config));

        var error = await Should.ThrowAsync<LockException>(() => web1.AcquireAsync("updates", "web1", default));

        error.Kind.ShouldBe(LockErrorKind.Refused);
        error.Message.ShouldContain("is not signed by a CA this system trusts; set ca");
        _server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_client_certificate_from_an_unknown_ca_is_refused_with_401()
    {
        using var stranger = new TestCertificateAuthority("stranger", _server.Directory);
        var (cert, key) = stranger.IssueClient("web1");
        string config = _server.WriteConfig("web1");
        var (knownCert, knownKey) = ConfiguredCertificate(config);
        await using var web1 = Backend(Write(File.ReadAllText(config).Replace(knownCert, cert).Replace(knownKey, key)));

        var error = await Should.ThrowAsync<LockException>(() => web1.AcquireAsync("updates", "web1", default));

        error.Kind.ShouldBe(LockErrorKind.Refused);
        error.Message.ShouldContain("did not accept this host's client certificate (401)");
        _server.HolderOf("updates").ShouldBeNull();
    }

    [Theory]
    [InlineData("PUT", null, false, 401)]
    [InlineData("PUT", null, true, 415)]
    [InlineData("DELETE", "text/plain", true, 415)]
    [InlineData("PUT", "application/json", true, 200)]
    [InlineData("GET", null, true, 200)]
    [InlineData("GET", null, false, 401)]
    public async Task The_server_demands_a_known_certificate_and_the_json_content_type(string method, string? contentType, bool withCertificate, int expected)
    {
        _server.SetHolder("updates", null);
        var (cert, key) = _server.ClientCertFor("web1");
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, _, _, _) => true,
            ClientCertificateOptions = ClientCertificateOption.Manual,
        };
        if (withCertificate)
        {
            handler.ClientCertificates.Add(X509Certificate2.CreateFromPemFile(cert, key));
        }

        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(new HttpMethod(method), $"{_server.Url}/api/dlmlocks/updates/lock");
        if (contentType is not null)
        {
            request.Content = new StringContent("{}", null, contentType);
        }

        using var response = await client.SendAsync(request);

        ((int)response.StatusCode).ShouldBe(expected);
    }

    private static ForemanBackend Backend(string configPath, TimeSpan? timeout = null) =>
        (ForemanBackend)LockBackendFactory.Create(
            IniFile.Load(configPath), new LockBackendContext("web1", timeout ?? TimeSpan.FromSeconds(10), new RecordingLog(), TimeProvider.System));

    private static (string Cert, string Key) ConfiguredCertificate(string configPath)
    {
        var config = IniFile.Load(configPath);
        return (config.Get("main", "client_crt")!.Text, config.Get("main", "client_key")!.Text);
    }

    private string Write(string text)
    {
        string path = Path.Combine(_server.Directory, $"{Guid.NewGuid():N}.ini");
        File.WriteAllText(path, text);
        return path;
    }
}
