using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Lockstep.Http;

/// <summary>HTTP handlers for lock servers: TLS verified by default, bounded connect time, no proxy surprises.</summary>
public static class HttpHandlers
{
    /// <summary>
    /// A handler that verifies server certificates against the system roots, or only against
    /// <see cref="TlsFiles.Ca"/> when given, and presents the client certificate when given.
    /// </summary>
    public static SocketsHttpHandler Create(TimeSpan connectTimeout, TlsFiles tls)
    {
        ArgumentNullException.ThrowIfNull(tls);
        var roots = tls.LoadCa();
        var client = tls.LoadClientCertificate();
        var ssl = new SslClientAuthenticationOptions();
        if (roots is not null)
        {
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.AddRange(roots);
            ssl.CertificateChainPolicy = policy;
        }

        if (client is not null)
        {
            ssl.ClientCertificates = [client];
        }

        return new SocketsHttpHandler
        {
            ConnectTimeout = connectTimeout,
            SslOptions = ssl,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            AllowAutoRedirect = false,
        };
    }
}
