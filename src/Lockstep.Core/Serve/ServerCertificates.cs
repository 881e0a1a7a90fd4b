using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lockstep.Config;
using Lockstep.Http;

namespace Lockstep.Serve;

/// <summary>
/// The TLS files of <c>[serve]</c>: the server's certificate and key, and the client CA. Loaded at
/// start (a problem stops the server with one line) and again on SIGHUP, when a problem keeps the
/// files already loaded so that a bad renewal never takes the fleet's lock server down.
/// </summary>
public sealed class ServerCertificates
{
    private readonly ServeOptions _options;
    private volatile Loaded _current;

    private ServerCertificates(ServeOptions options, Loaded loaded)
    {
        _options = options;
        _current = loaded;
    }

    public X509Certificate2 Certificate => _current.Certificate;

    /// <summary>The client CA's certificates, or null when client certificates are not asked for.</summary>
    public X509Certificate2Collection? ClientCa => _current.ClientCa;

    /// <summary>Throws <see cref="ConfigException"/> naming the setting when a file cannot be used.</summary>
    public static ServerCertificates Load(ServeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ServerCertificates(options, Read(options));
    }

    /// <summary>Reads the files again; on a problem keeps the loaded ones and returns the reason.</summary>
    public string? Reload()
    {
        try
        {
            _current = Read(_options);
            return null;
        }
        catch (ConfigException e)
        {
            return e.Message;
        }
    }

    private static Loaded Read(ServeOptions options)
    {
        var cert = options.TlsCert ?? throw new InvalidOperationException("TLS is not configured");
        var key = options.TlsKey!;
        string certificatePem = TlsFiles.ReadPem(cert), keyPem = TlsFiles.ReadPem(key);
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new ConfigException($"{cert.Where} and {key.Where}: not a PEM certificate with its unencrypted PEM private key ({e.Message.TrimEnd('.')}); fix the files");
        }

        if (certificate.NotAfter.ToUniversalTime() < DateTime.UtcNow)
        {
            throw new ConfigException($"{cert.Where} = '{cert.Text}' expired on {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC; renew it");
        }

        X509Certificate2Collection? clientCa = null;
        if (options.ClientCa is { } ca)
        {
            clientCa = [];
            try
            {
                clientCa.ImportFromPem(TlsFiles.ReadPem(ca));
            }
            catch (CryptographicException)
            {
                clientCa.Clear();
            }

            if (clientCa.Count == 0)
            {
                throw new ConfigException($"{ca.Where} = '{ca.Text}' holds no readable PEM certificate; point it at the CA that signs the clients' certificates");
            }
        }

        return new Loaded(certificate, clientCa);
    }

    private sealed record Loaded(X509Certificate2 Certificate, X509Certificate2Collection? ClientCa);
}
