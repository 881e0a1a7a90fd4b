using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Lockstep.Http;

/// <summary>
/// Decides whether a server's TLS certificate is trusted: it must name the host of the configured
/// URL and chain to a CA of <c>ca</c> (or, without <c>ca</c>, to one the system trusts). Returns why
/// not, naming the settings to change, or null.
/// </summary>
internal static class ServerCertificateCheck
{
    public static string? Problem(X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors, X509Certificate2Collection? authorities, TlsFiles settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return "the server sent no certificate";
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return $"the server's certificate ({certificate.Subject}) is not issued for the host name of {settings.UrlSetting}; use the name the certificate gives";
        }

        if (authorities is null)
        {
            return errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors)
                ? $"the server's certificate ({certificate.Subject}) is not signed by a CA this system trusts; set {settings.CaSetting} to the CA bundle that signed it"
                : null;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        // Puppet's and IPA's CRLs, like those of most private CAs, are not published where a client could fetch them.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var server = new X509Certificate2(certificate);
        if (chain.Build(server))
        {
            return null;
        }

        string status = string.Join(", ", chain.ChainStatus.Select(s => s.Status).Distinct());
        return $"the server's certificate ({certificate.Subject}) is not signed by a CA in {settings.CaSetting} = {settings.Ca?.Text} ({status}); set {settings.CaSetting} to the CA bundle that signed it";
    }
}
