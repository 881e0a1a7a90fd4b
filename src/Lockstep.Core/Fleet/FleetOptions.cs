using Lockstep.Config;
using Lockstep.Locks.Operator;

namespace Lockstep.Fleet;

/// <summary>The <c>[fleet]</c> section (README, "lockstep fleet"), validated once.</summary>
/// <param name="Store">Where the fleet view lives: etcd, postgres, local, or null (none).</param>
/// <param name="Path">The local store's directory: <c>[fleet] path</c>, else beside the local lock file, else <see cref="DefaultPath"/>.</param>
public sealed record FleetOptions(string? Store, string Path, TimeSpan StuckAfter, TimeSpan SilentAfter)
{
    public const string Section = "fleet";

    public const string DefaultPath = "/var/lib/lockstep/fleet";

    /// <summary><c>stuck_after</c>: a slot holder whose step has not changed for this long is flagged stuck. Default 2 h.</summary>
    public static readonly TimeSpan DefaultStuckAfter = TimeSpan.FromHours(2);

    /// <summary><c>silent_after</c>: a slot holder with no report for this long is flagged silent. Default 1 day.</summary>
    public static readonly TimeSpan DefaultSilentAfter = TimeSpan.FromDays(1);

    private static readonly string[] Stores = ["etcd", "postgres", "local", "none"];

    public static FleetOptions From(IniFile config)
    {
        ArgumentNullException.ThrowIfNull(config);
        string backend = LockConfig.BackendName(config);
        string? store = config.Get(Section, "store") is { } setting
            ? Stores.Contains(setting.Text.ToLowerInvariant())
                ? setting.Text.ToLowerInvariant()
                : throw new ConfigException($"{setting.Where} = '{setting.Text}' is not a fleet store; use etcd, postgres, local or none")
            : Stores.Contains(backend) ? backend : null;
        string directory = System.IO.Path.GetDirectoryName(Files.PathWalk.FullPath(config.Path))!;
        var path = config.Get(Section, "path");
        if (path is { Text.Length: 0 })
        {
            throw new ConfigException($"{path.Where} is empty; give the fleet directory or remove the line for {DefaultPath}");
        }

        // A local fleet sits beside the local lock file ([local] path, default /var/lib/lockstep/local.lock).
        string defaultPath = backend == "local" && config.Get("local", "path") is { Text.Length: > 0 } lockFile
            ? System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(lockFile.Text, directory))!, "fleet")
            : DefaultPath;
        return new FleetOptions(
            store == "none" ? null : store,
            System.IO.Path.GetFullPath(path?.Text ?? defaultPath, directory),
            Threshold(config, "stuck_after") ?? DefaultStuckAfter,
            Threshold(config, "silent_after") ?? DefaultSilentAfter);
    }

    private static TimeSpan? Threshold(IniFile config, string key)
    {
        if (config.Get(Section, key) is not { } value)
        {
            return null;
        }

        double seconds = value.AsSeconds();
        return seconds > 0 ? TimeSpan.FromSeconds(seconds) : throw new ConfigException($"{value.Where} = '{value.Text}' must be more than 0 seconds; fix the value");
    }
}
