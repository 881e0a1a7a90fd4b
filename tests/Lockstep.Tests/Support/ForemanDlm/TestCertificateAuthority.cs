using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Lockstep.Tests.Support.ForemanDlm;

/// <summary>
/// A certificate authority made up at run time, as a puppet CA: it signs a server certificate for
/// 127.0.0.1/localhost and client certificates whose CN names a host. PEM files go to a directory.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    private readonly ECDsa _key;

    public TestCertificateAuthority(string name, string directory)
    {
        Directory = directory;
        _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        PemPath = Write($"{name}-ca.pem", Certificate.ExportCertificatePem());
    }

    public string Directory { get; }

    public X509Certificate2 Certificate { get; }

    /// <summary>The CA certificate as a PEM file (what <c>ca</c> points at).</summary>
    public string PemPath { get; }

    /// <summary>A server certificate (with its key) valid for 127.0.0.1 and localhost.</summary>
    public X509Certificate2 IssueServer()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuth], false));
        using var issued = Sign(request);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>
    /// A client certificate for <paramref name="hostName"/> in puppet's format (RSA, the key as
    /// "RSA PRIVATE KEY"), written as two PEM files: (certificate, key).
    /// </summary>
    public (string CertPath, string KeyPath) IssueClient(string hostName)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={hostName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ClientAuth], false));
        using var issued = Sign(request);
        string stem = $"{hostName}-{Guid.NewGuid():N}";
        return (Write($"{stem}.crt.pem", issued.ExportCertificatePem()), Write($"{stem}.key.pem", key.ExportRSAPrivateKeyPem()));
    }

    /// <summary>Whether <paramref name="certificate"/> was signed by this CA; its CN when so.</summary>
    public string? VerifiedCommonName(X509Certificate2? certificate)
    {
        if (certificate is null)
        {
            return null;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate) ? certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false) : null;
    }

    public void Dispose()
    {
        _key.Dispose();
        Certificate.Dispose();
    }

    private X509Certificate2 Sign(CertificateRequest request)
    {
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        return request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_key), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), serial);
    }

    private string Write(string name, string pem)
    {
        string path = Path.Combine(Directory, name);
        File.WriteAllText(path, pem);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }
}
