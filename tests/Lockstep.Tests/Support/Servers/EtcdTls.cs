using System.Security.Cryptography.X509Certificates;

namespace Lockstep.Tests.Support.Servers;

/// <summary>TLS for an etcd test cluster: the server's certificate and key, and the CA it requires client certificates from.</summary>
public sealed record EtcdTls(string CertFile, string KeyFile, string ClientCaFile, string ProbeCertFile, string ProbeKeyFile)
{
    public IReadOnlyList<string> ServerArgs =>
        ["--cert-file", CertFile, "--key-file", KeyFile, "--client-cert-auth", "--trusted-ca-file", ClientCaFile];

    /// <summary>The readiness probe only waits for the member: it presents a client certificate and does not verify the server.</summary>
    public HttpMessageHandler ProbeHandler()
    {
        var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        handler.ClientCertificates.Add(X509Certificate2.CreateFromPemFile(ProbeCertFile, ProbeKeyFile));
        return handler;
    }
}
