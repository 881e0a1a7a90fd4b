using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lockstep.Tests.Support.ForemanDlm;

namespace Lockstep.Tests.Support;

/// <summary>PEM files for a TLS etcd: a test CA, a server certificate for 127.0.0.1 and a client certificate.</summary>
public sealed record TestCertificates(string CaFile, string ServerCertFile, string ServerKeyFile, string ClientCertFile, string ClientKeyFile)
{
    public static TestCertificates Create(string directory)
    {
        using var ca = new TestCertificateAuthority("etcd-test", directory);
        var (clientCert, clientKey) = ca.IssueClient("web-1");

        // etcd's JSON gateway dials etcd's own gRPC port with the server certificate, so it needs client use too.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        byte[] serial = RandomNumberGenerator.GetBytes(8);
        serial[0] &= 0x7f; // a positive serial, as Go's x509 requires
        using var server = request.Create(ca.Certificate, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7), serial);
        string serverCert = Path.Combine(directory, "server.pem"), serverKey = Path.Combine(directory, "server-key.pem");
        File.WriteAllText(serverCert, server.ExportCertificatePem());
        File.WriteAllText(serverKey, key.ExportPkcs8PrivateKeyPem());
        return new TestCertificates(ca.PemPath, serverCert, serverKey, clientCert, clientKey);
    }
}
