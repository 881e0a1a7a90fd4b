using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Lockstep.Tests.Support;

/// <summary>A private CA with a server certificate for 127.0.0.1 and a client certificate, as PEM files in a directory.</summary>
public sealed record TestCertificates(string CaFile, string ServerCertFile, string ServerKeyFile, string ClientCertFile, string ClientKeyFile)
{
    public static TestCertificates Create(string directory)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Lockstep Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(7));

        string Write(string name, string pem)
        {
            string path = Path.Combine(directory, name);
            File.WriteAllText(path, pem);
            File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
            return path;
        }

        (string Cert, string Key) Issue(string name, string subject, OidCollection usage, bool server)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usage, false));
            if (server)
            {
                var names = new SubjectAlternativeNameBuilder();
                names.AddIpAddress(IPAddress.Loopback);
                names.AddDnsName("localhost");
                request.CertificateExtensions.Add(names.Build());
            }

            byte[] serial = RandomNumberGenerator.GetBytes(12);
            using var cert = request.Create(ca, now.AddDays(-1), now.AddDays(7), serial);
            return (Write($"{name}.pem", cert.ExportCertificatePem()), Write($"{name}-key.pem", key.ExportPkcs8PrivateKeyPem()));
        }

        string caFile = Write("ca.pem", ca.ExportCertificatePem());
        // etcd's JSON gateway dials etcd's own gRPC port with the server certificate, so it needs client use too.
        var serverPair = Issue("server", "CN=127.0.0.1", [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], server: true);
        var clientPair = Issue("client", "CN=web-1", [new Oid("1.3.6.1.5.5.7.3.2")], server: false);
        return new TestCertificates(caFile, serverPair.Cert, serverPair.Key, clientPair.Cert, clientPair.Key);
    }
}
