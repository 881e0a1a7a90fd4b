using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lockstep.Config;
using Lockstep.Files;

namespace Lockstep.Http;

/// <summary>
/// PEM files for a TLS client: <c>ca</c> (trust only these roots instead of the system's) and a
/// client certificate <c>cert</c> with its <c>key</c>. Each keeps its setting for error messages,
/// and every problem with a file is a <see cref="ConfigException"/> naming it.
/// </summary>
public sealed record TlsFiles(IniValue? Ca, IniValue? Cert, IniValue? Key)
{
    /// <summary>How messages name the CA setting ("[etcd] ca"), also when it is not set.</summary>
    public string CaSetting { get; init; } = "ca";

    /// <summary>How messages name the setting that holds the server's URL ("[etcd] endpoints").</summary>
    public string UrlSetting { get; init; } = "url";

    /// <summary>Reads <c>ca</c>, <c>cert</c> and <c>key</c> of one section; cert and key go together.</summary>
    public static TlsFiles From(IniFile config, string section, string urlKey)
    {
        ArgumentNullException.ThrowIfNull(config);
        var files = new TlsFiles(config.Get(section, "ca"), config.Get(section, "cert"), config.Get(section, "key"))
        {
            CaSetting = $"[{section}] ca",
            UrlSetting = $"[{section}] {urlKey}",
        };
        if ((files.Cert is null) != (files.Key is null))
        {
            var given = files.Cert ?? files.Key!;
            string missing = files.Cert is null ? "cert" : "key";
            throw new ConfigException($"{given.Where} is set but [{section}] {missing} is not; give both the client certificate and its key, or neither");
        }

        return files;
    }

    /// <summary>The CA certificates of <c>ca</c>, or null when it is not set (the system's CAs are trusted then).</summary>
    public X509Certificate2Collection? LoadCa()
    {
        if (Ca is null)
        {
            return null;
        }

        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPem(ReadPem(Ca));
        }
        catch (CryptographicException)
        {
            throw new ConfigException($"{Ca.Where} = '{Ca.Text}' holds an unreadable PEM certificate; point it at the CA bundle that signed the server's certificate");
        }

        if (roots.Count == 0)
        {
            throw new ConfigException($"{Ca.Where} = '{Ca.Text}' holds no PEM certificate; point it at the CA bundle that signed the server's certificate");
        }

        return roots;
    }

    /// <summary>The client certificate with its private key, or null when none is set.</summary>
    public X509Certificate2? LoadClientCertificate()
    {
        if (Cert is null || Key is null)
        {
            return null;
        }

        string certificatePem = ReadPem(Cert);
        try
        {
            using var alone = X509Certificate2.CreateFromPem(certificatePem);
        }
        catch (CryptographicException)
        {
            throw new ConfigException($"{Cert.Where} = '{Cert.Text}' holds no PEM certificate; point it at the client certificate (-----BEGIN CERTIFICATE-----)");
        }

        string keyPem = ReadPem(Key);
        try
        {
            return X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new ConfigException($"{Key.Where} = '{Key.Text}' holds no unencrypted PEM private key matching {Cert.Key}; point it at that certificate's private key");
        }
    }

    internal static string ReadPem(IniValue value)
    {
        string problem;
        try
        {
            // Which server to trust, which key is ours: configuration, held to its rule (README, "Which
            // paths Lockstep trusts"), and read through the descriptor checked. A PEM bundle is a few
            // hundred KiB at most (the system's whole CA bundle is ~200 KiB).
            using var walked = Trust.Open(value.Text, "TLS file", "read", regularFile: true);
            return System.Text.Encoding.UTF8.GetString(BoundedFile.Read(walked, 4 * 1024 * 1024));
        }
        catch (PathRefusedException e) when (e.Errno == 0)
        {
            throw new ConfigException($"{value.Where} = '{value.Text}': {e.Message}");
        }
        catch (PathRefusedException e) when (e.Errno is Processes.LibC.ENOENT or Processes.LibC.ENOTDIR)
        {
            problem = "does not exist: fix the path";
        }
        catch (PathRefusedException e) when (e.Errno == Processes.LibC.EACCES)
        {
            problem = "cannot be read (permission denied): run as root or fix its mode";
        }
        catch (UnauthorizedAccessException)
        {
            problem = "cannot be read (permission denied): run as root or fix its mode";
        }
        catch (IOException e)
        {
            problem = $"cannot be read ({FileFailure.Reason(e, value.Text)})";
        }

        throw new ConfigException($"{value.Where} = '{value.Text}': the file {problem}");
    }
}
