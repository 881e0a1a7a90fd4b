using Lockstep.Config;
using Lockstep.Http;

namespace Lockstep.Locks.Foreman;

/// <summary>
/// The <c>[main]</c> keys of foreman_dlm_updater's config.ini the Foreman backend reads (README
/// "Lock backends"): <c>foreman_url</c>, <c>client_crt</c> and <c>client_key</c> (PEM, the host's
/// puppet certificate and key) and <c>ca</c> (PEM bundle the server's certificate must chain to;
/// without it, the system's trusted CAs). Every problem is a <see cref="ConfigException"/> naming
/// the key, never repeating credentials.
/// </summary>
public sealed record ForemanOptions(Uri Url, TlsFiles Tls)
{
    /// <summary>The <c>[main]</c> keys read here, which <c>lockstep update</c> accepts as known.</summary>
    public static IReadOnlyList<string> MainKeys { get; } = ["foreman_url", "client_crt", "client_key", "ca"];

    public static ForemanOptions From(IniFile config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var url = Required(config, "foreman_url", "your Foreman server's URL, e.g. https://foreman.example.com");
        var crt = Required(config, "client_crt", "the host's PEM certificate, e.g. /etc/puppetlabs/puppet/ssl/certs/HOST.pem");
        var key = Required(config, "client_key", "the host's PEM private key, e.g. /etc/puppetlabs/puppet/ssl/private_keys/HOST.pem");
        return new ForemanOptions(ParseUrl(url), new TlsFiles(config.Get("main", "ca"), crt, key) { UrlSetting = "foreman_url" });
    }

    private static IniValue Required(IniFile config, string key, string what)
    {
        var value = config.Get("main", key);
        if (value is null || string.IsNullOrWhiteSpace(value.Text))
        {
            string where = value?.Where ?? $"{config.Path}: [main] {key}";
            throw new ConfigException($"{where} is {(value is null ? "missing" : "empty")}; the foreman lock backend needs it: set it to {what}");
        }

        return value;
    }

    /// <summary>The shared URL rules (credentials refused and masked), then Foreman's own: https, and nothing after the path.</summary>
    private static Uri ParseUrl(IniValue url)
    {
        var uri = BaseUrl.Parse(url.Text, shown => $"{url.Where} = '{shown}'", "write it as https://foreman.example.com");
        if (uri.Scheme != "https")
        {
            throw new ConfigException($"{url.Where} = '{BaseUrl.Masked(url.Text)}' is not https; the host authenticates with its client certificate, which needs TLS: use https://");
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new ConfigException($"{url.Where} must be the plain server URL, without credentials, query or fragment; the host authenticates with client_crt and client_key");
        }

        return uri;
    }
}
