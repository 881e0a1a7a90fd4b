using Lockstep.Tests.Support.ForemanDlm;

namespace Lockstep.Tests.Update;

/// <summary>Certificates through lockstep update: a host Foreman does not know, a server the ca does not vouch for.</summary>
public sealed class UpdateOverForemanTrustTests : IDisposable
{
    private readonly ForemanUpdateHost _host = new();
    private readonly TestCertificateAuthority _stranger;

    public UpdateOverForemanTrustTests() => _stranger = new TestCertificateAuthority("stranger", _host.Dir.Path);

    public void Dispose()
    {
        _stranger.Dispose();
        _host.Dispose();
    }

    [Fact]
    public void A_client_certificate_foreman_does_not_know_stops_at_lock_get_naming_client_crt()
    {
        var (cert, key) = _stranger.IssueClient(ForemanUpdateHost.Host);
        _host.SetMain("client_crt", cert);
        _host.SetMain("client_key", key);

        var result = _host.Update();

        result.ExitCode.ShouldBe(4, result.ToString());
        result.Stderr.ShouldContain("the server did not accept this host's client certificate (401)");
        result.Stderr.ShouldContain("check that client_crt and client_key hold this host's certificate");
        _host.Calls.ShouldBe(["PUT"]);
        _host.Steps.ShouldBe(["needs_update"]);
        _host.State.ShouldNotBeNull().ShouldContain("\"step\": \"lock_get\"");
    }

    [Fact]
    public void A_server_whose_certificate_is_not_signed_by_ca_is_refused_before_any_request()
    {
        _host.SetMain("ca", _stranger.PemPath);

        var result = _host.Update();

        result.ExitCode.ShouldBe(4, result.ToString());
        result.Stderr.ShouldContain($"refusing Foreman DLM at {_host.Server.Url}: the server's certificate (CN=localhost) is not signed by a CA in ca = {_stranger.PemPath}");
        _host.Calls.ShouldBeEmpty();
        _host.Steps.ShouldBe(["needs_update"]);
        _host.State.ShouldNotBeNull().ShouldContain("\"step\": \"lock_get\"");
    }
}
