using Lockstep.Config;

namespace Lockstep.Locks.Local;

/// <summary>The <c>[local]</c> section: the lock file's path, relative to the config file's directory (default <see cref="DefaultPath"/>).</summary>
public sealed record LocalLockOptions(string Path)
{
    public const string Name = "local";
    public const string Section = "local";
    public const string DefaultPath = "/var/lib/lockstep/local.lock";

    public static LocalLockOptions From(IniFile config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var setting = config.Get(Section, "path");
        if (setting is not null && setting.Text.Length == 0)
        {
            throw new ConfigException($"{setting.Where} is empty; give the lock file's path or remove the line for {DefaultPath}");
        }

        string directory = System.IO.Path.GetDirectoryName(Files.PathWalk.FullPath(config.Path))!;
        return new LocalLockOptions(System.IO.Path.GetFullPath(setting?.Text ?? DefaultPath, directory));
    }
}
