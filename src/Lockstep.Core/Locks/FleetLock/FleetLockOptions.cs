using Lockstep.Config;
using Lockstep.Http;

namespace Lockstep.Locks.FleetLock;

/// <summary>
/// The <c>[fleetlock]</c> section: the server's base URL (and optional TLS files), validated once,
/// and <c>[main] lock_name</c> as written, so a group name FleetLock forbids is reported at its line.
/// </summary>
public sealed record FleetLockOptions(Uri Url, TlsFiles Tls, IniValue? LockNameSetting = null)
{
    public const string Section = "fleetlock";

    public static FleetLockOptions From(IniFile config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var url = config.Get(Section, "url")
            ?? throw new ConfigException($"{config.Path}: [{Section}] url is missing; give the FleetLock server's base URL (url = https://airlock.example.com)");
        var parsed = BaseUrl.Parse(url.Text, shown => $"{url.Where} = '{shown}'", "give the FleetLock server's base URL");
        return new FleetLockOptions(parsed, TlsFiles.From(config, Section, "url"), config.Get("main", "lock_name"));
    }
}
