using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lockstep.Config;

namespace Lockstep.Http;

/// <summary>
/// PEM files for a TLS client: <c>ca</c> (trust only these roots instead of the system's) and a
/// client certificate <c>cert</c> with its <c>key</c>. Each keeps its setting for error messages.
/// </summary>
public sealed record TlsFiles(IniValue? Ca, IniValue? Cert, IniValue? Key)
{
    /// <summary>Reads <c>ca</c>, <c>cert</c> and <c>key</c> of one section; cert and key go together.</summary>
    public static TlsFiles From(IniFile config, string section)
    {
        ArgumentNullException.ThrowIfNull(config);
        var files = new TlsFiles(config.Get(section, "ca"), config.Get(section, "cert"), config.Get(section, "key"));
        if ((files.Cert is null) != (files.Key is null))
        {
            var given = files.Cert ?? files.Key!;
            string missing = files.Cert is null ? "cert" : "key";
            throw new ConfigException($"{given.Where} is set but [{section}] {missing} is not; give both the client certificate and its key, or neither");
        }

        return files;
    }

    public X509Certificate2Collection? LoadCa()
    {
        if (Ca is null)
        {
            return null;
        }

        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(Ca.Text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new ConfigException($"{Ca.Where} = '{Ca.Text}' cannot be read as PEM certificates ({e.Message}); fix the path or the file");
        }

        if (roots.Count == 0)
        {
            throw new ConfigException($"{Ca.Where} = '{Ca.Text}' holds no PEM certificate; give the CA certificate file");
        }

        return roots;
    }

    public X509Certificate2? LoadClientCertificate()
    {
        if (Cert is null || Key is null)
        {
            return null;
        }

        try
        {
            return X509Certificate2.CreateFromPemFile(Cert.Text, Key.Text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new ConfigException(
                $"{Cert.Where} = '{Cert.Text}' with {Key.Where} = '{Key.Text}' cannot be loaded as a PEM certificate and key ({e.Message}); fix the paths or the files");
        }
    }
}
