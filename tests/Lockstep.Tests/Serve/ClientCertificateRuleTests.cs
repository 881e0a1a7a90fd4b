using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lockstep.Serve;

namespace Lockstep.Tests.Serve;

/// <summary>Which ids a client certificate may act for: its CN, DNS names and IP addresses, once it chains to client_ca.</summary>
public sealed class ClientCertificateRuleTests : IDisposable
{
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _ca;

    public ClientCertificateRuleTests()
    {
        var request = new CertificateRequest("CN=rule-ca", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(10));
    }

    public void Dispose()
    {
        _ca.Dispose();
        _caKey.Dispose();
    }

    [Theory]
    [InlineData("node-a", null)]
    [InlineData("Node-A.example.com", "not id \"Node-A.example.com\"")]
    [InlineData("node-a.example.com", null)]
    [InlineData("10.0.0.7", null)]
    [InlineData("NODE-A", "not id \"NODE-A\"")]
    [InlineData("node-b", "the client certificate names \"node-a\", \"node-a.example.com\", \"10.0.0.7\", not id \"node-b\"")]
    [InlineData("10.0.0.8", "not id \"10.0.0.8\"")]
    public void The_id_must_be_the_common_name_or_a_subject_alternative_name(string id, string? refusal)
    {
        using var client = Issue("CN=node-a", san: true, clientAuth: true, notAfter: DateTimeOffset.UtcNow.AddDays(1));

        string? got = ClientCertificateRule.Refusal(client, id, [_ca], DateTime.UtcNow);

        if (refusal is null)
        {
            got.ShouldBeNull();
        }
        else
        {
            got.ShouldNotBeNull().ShouldContain(refusal);
        }
    }

    [Fact]
    public void A_certificate_that_is_expired_or_only_for_servers_is_refused()
    {
        using var expired = Issue("CN=node-a", san: false, clientAuth: true, notAfter: DateTimeOffset.UtcNow.AddHours(-1));
        using var serverOnly = Issue("CN=node-a", san: false, clientAuth: false, notAfter: DateTimeOffset.UtcNow.AddDays(1));

        ClientCertificateRule.Refusal(expired, "node-a", [_ca], DateTime.UtcNow).ShouldNotBeNull().ShouldContain("not signed by the server's client CA");
        ClientCertificateRule.Refusal(serverOnly, "node-a", [_ca], DateTime.UtcNow).ShouldNotBeNull().ShouldContain("not signed by the server's client CA");
        ClientCertificateRule.Refusal(null, "node-a", [_ca], DateTime.UtcNow).ShouldNotBeNull().ShouldContain("none was presented");
    }

    private X509Certificate2 Issue(string subject, bool san, bool clientAuth, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        if (san)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("node-a.example.com");
            names.AddIpAddress(IPAddress.Parse("10.0.0.7"));
            request.CertificateExtensions.Add(names.Build());
        }

        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(clientAuth ? "1.3.6.1.5.5.7.3.2" : "1.3.6.1.5.5.7.3.1")], false));
        return request.Create(_ca, notAfter.AddDays(-2), notAfter, RandomNumberGenerator.GetBytes(8));
    }
}
