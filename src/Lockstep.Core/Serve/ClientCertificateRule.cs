using System.Security.Cryptography.X509Certificates;

namespace Lockstep.Serve;

/// <summary>
/// With <c>client_ca</c>, a client may take or free only the slot of the id its certificate names:
/// the certificate must chain to <c>client_ca</c> (for client authentication) and its common name
/// or one of its subject alternative names (DNS name, IP address) must be the id.
/// </summary>
public static class ClientCertificateRule
{
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    /// <summary>Null when <paramref name="certificate"/> may act for <paramref name="id"/>, else the 403's value.</summary>
    public static string? Refusal(X509Certificate2? certificate, string id, X509Certificate2Collection clientCa, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(clientCa);
        if (certificate is null)
        {
            return $"id \"{id}\" needs a client certificate signed by the server's client CA; none was presented";
        }

        if (!Chains(certificate, clientCa, now))
        {
            return "the client certificate is not signed by the server's client CA for client authentication, or has expired";
        }

        var names = Names(certificate);
        // Exactly: holder ids are compared exactly in the semaphore, so "NODE-A" would be another slot.
        return names.Contains(id, StringComparer.Ordinal)
            ? null
            : $"the client certificate names {string.Join(", ", names.Select(n => $"\"{n}\""))}, not id \"{id}\"; a client may only take or free its own slot";
    }

    /// <summary>The names a certificate vouches for: its common name, DNS names and IP addresses.</summary>
    public static IReadOnlyList<string> Names(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var names = new List<string>();
        string common = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        if (common.Length > 0)
        {
            names.Add(common);
        }

        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                names.AddRange(san.EnumerateDnsNames());
                names.AddRange(san.EnumerateIPAddresses().Select(a => a.ToString()));
            }
        }

        return names.Distinct(StringComparer.Ordinal).ToList();
    }

    private static bool Chains(X509Certificate2 certificate, X509Certificate2Collection clientCa, DateTime now)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(clientCa);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(ClientAuthentication));
        return chain.Build(certificate);
    }
}
