using Lockstep.Config;
using Lockstep.Http;

namespace Lockstep.Locks.FleetLock;

/// <summary>The <c>[fleetlock]</c> section: the server's base URL (and optional TLS files), validated once.</summary>
public sealed record FleetLockOptions(Uri Url, TlsFiles Tls)
{
    public const string Section = "fleetlock";

    public static FleetLockOptions From(IniFile config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var url = config.Get(Section, "url")
            ?? throw new ConfigException($"{config.Path}: [{Section}] url is missing; give the FleetLock server's base URL (url = https://airlock.example.com)");
        if (!Uri.TryCreate(url.Text, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https") || parsed.Host.Length == 0)
        {
            throw new ConfigException($"{url.Where} = '{url.Text}' is not an http:// or https:// URL; give the FleetLock server's base URL");
        }

        // A trailing slash keeps the base path when v1/pre-reboot is appended.
        var normalized = parsed.AbsolutePath.EndsWith('/') ? parsed : new Uri(parsed.AbsoluteUri + "/");
        return new FleetLockOptions(normalized, TlsFiles.From(config, Section, "url"));
    }
}
