using System.Net;
using Lockstep.Config;
using Lockstep.Locks.FleetLock;
using Lockstep.Locks.Local;

namespace Lockstep.Serve;

/// <summary>
/// <c>serve.ini</c>'s <c>[serve]</c> section and its <c>[group NAME]</c> sections, validated once
/// (README, "lockstep serve"). The backend's own section is read by the backend.
/// </summary>
public sealed record ServeOptions(
    IPEndPoint Listen,
    string Backend,
    IReadOnlyDictionary<string, int> Groups,
    TimeSpan RequestTimeout,
    IniValue? TlsCert,
    IniValue? TlsKey,
    IniValue? ClientCa)
{
    public const string Section = "serve";
    public const string GroupPrefix = "group ";
    public const string DefaultListen = "0.0.0.0:3333";

    /// <summary>As airlock: with no group configured, zincati's default group with one slot.</summary>
    public const string DefaultGroup = "default";

    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(10);

    public static readonly string[] Backends = ["etcd", "postgres", LocalLockOptions.Name];

    private static readonly HashSet<string> Keys = ["listen", "backend", "tls_cert", "tls_key", "client_ca", "request_timeout"];

    public bool Tls => TlsCert is not null;

    public static ServeOptions From(IniFile config)
    {
        ArgumentNullException.ThrowIfNull(config);
        foreach (var value in config.Values(Section))
        {
            if (!Keys.Contains(value.Key))
            {
                throw new ConfigException($"{value.Where} is not a setting of [{Section}]; use one of {string.Join(", ", Keys)}");
            }
        }

        var backend = config.Get(Section, "backend")
            ?? throw new ConfigException($"{config.Path}: [{Section}] backend is missing; set it to {string.Join(", ", Backends)}");
        string name = backend.Text.ToLowerInvariant();
        if (!Backends.Contains(name))
        {
            throw new ConfigException($"{backend.Where} = '{backend.Text}' is not a backend lockstep serve can keep its semaphore in; use {string.Join(", ", Backends)}");
        }

        var groups = ReadGroups(config, name);
        var cert = config.Get(Section, "tls_cert");
        var key = config.Get(Section, "tls_key");
        if ((cert is null) != (key is null))
        {
            throw new ConfigException($"{(cert ?? key)!.Where} is set but [{Section}] {(cert is null ? "tls_cert" : "tls_key")} is not; give both the server certificate and its key, or neither");
        }

        var clientCa = config.Get(Section, "client_ca");
        if (clientCa is not null && cert is null)
        {
            throw new ConfigException($"{clientCa.Where} needs TLS: client certificates travel in the TLS handshake; set tls_cert and tls_key too");
        }

        double timeout = config.Get(Section, "request_timeout") is { } t ? t.AsSeconds() : DefaultRequestTimeout.TotalSeconds;
        if (timeout <= 0)
        {
            throw new ConfigException($"{config.Get(Section, "request_timeout")!.Where} = 0: a request must be bounded; give seconds above 0 (default 10)");
        }

        return new ServeOptions(ParseListen(config), name, groups, TimeSpan.FromSeconds(timeout), cert, key, clientCa);
    }

    private static IPEndPoint ParseListen(IniFile config)
    {
        var listen = config.Get(Section, "listen");
        string text = listen?.Text ?? DefaultListen;
        if (IPEndPoint.TryParse(text, out var endpoint) && endpoint.Port is > 0 and <= 65535 && HasPort(text))
        {
            return endpoint;
        }

        throw new ConfigException($"{listen!.Where} = '{text}' is not an address:port to listen on; write e.g. 0.0.0.0:3333 or [::]:3333");
    }

    // IPEndPoint.TryParse takes a bare address as port 0.
    private static bool HasPort(string text) =>
        text.StartsWith('[') ? text.Contains("]:", StringComparison.Ordinal) : text.Count(c => c == ':') == 1;

    private static Dictionary<string, int> ReadGroups(IniFile config, string backend)
    {
        var groups = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string section in config.Sections)
        {
            if (section == Section || !section.StartsWith(GroupPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            string name = section[GroupPrefix.Length..].Trim();
            if (!FleetLockProtocol.IsValidGroup(name))
            {
                throw new ConfigException($"{config.Path}: [{section}]: '{name}' is not a FleetLock group name (letters, digits, '.' and '-' only, as zincati's); rename the section");
            }

            foreach (var value in config.Values(section))
            {
                if (value.Key != "slots")
                {
                    throw new ConfigException($"{value.Where} is not a setting of a group; a group has only slots");
                }
            }

            var slots = config.Get(section, "slots")
                ?? throw new ConfigException($"{config.Path}: [{section}] slots is missing; give how many hosts of the group may reboot at once (slots = 1)");
            int count = slots.AsInt(min: 1);
            if (backend == LocalLockOptions.Name && count > 1)
            {
                throw new ConfigException($"{slots.Where} = {count}: the local backend holds one host a group; use slots = 1, or etcd or postgres for more");
            }

            groups[name] = count;
        }

        if (groups.Count == 0)
        {
            groups[DefaultGroup] = 1;
        }

        return groups;
    }
}
