using Lockstep.Config;
using Lockstep.Http;

namespace Lockstep.Locks.Etcd;

/// <summary>The <c>[etcd]</c> section, validated once.</summary>
public sealed record EtcdOptions(IReadOnlyList<Uri> Endpoints, int Slots, TlsFiles Tls)
{
    public const string Section = "etcd";

    /// <summary>Slots of a group's semaphore when Lockstep creates it: one host at a time. An existing semaphore keeps its own.</summary>
    public const int DefaultSlots = 1;

    /// <summary><c>slots</c> as written, when it is: an existing semaphore with another count earns a warning.</summary>
    public IniValue? SlotsSetting { get; init; }

    public static EtcdOptions From(IniFile config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var endpoints = config.Get(Section, "endpoints")
            ?? throw new ConfigException(
                $"{config.Path}: [{Section}] endpoints is missing; give the etcd client URLs, comma-separated (endpoints = http://10.0.0.1:2379,http://10.0.0.2:2379)");
        var urls = new List<Uri>();
        foreach (string part in endpoints.Text.Split([',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            urls.Add(BaseUrl.Parse(part, shown => $"{endpoints.Where}: '{shown}'", "give etcd client URLs like http://10.0.0.1:2379"));
        }

        if (urls.Count == 0)
        {
            throw new ConfigException($"{endpoints.Where} is empty; give the etcd client URLs, comma-separated");
        }

        var setting = config.Get(Section, "slots");
        int slots = setting?.AsInt(min: 1) ?? DefaultSlots;
        return new EtcdOptions(urls, slots, TlsFiles.From(config, Section, "endpoints")) { SlotsSetting = setting };
    }
}
