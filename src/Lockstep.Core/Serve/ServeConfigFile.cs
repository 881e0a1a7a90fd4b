using Lockstep.Config;
using Lockstep.Files;
using Lockstep.Processes;

namespace Lockstep.Serve;

/// <summary>
/// Loads <c>serve.ini</c> only if nobody but root or the caller could have written it: whoever can
/// change it picks the lock store and its credentials, so it is checked on the very file read
/// (owner, no group or other write) and where it lies (no foreign symlink, no writable parent).
/// </summary>
public static class ServeConfigFile
{
    public const string DefaultPath = "/etc/lockstep/serve.ini";

    public static IniFile Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Trust.CheckPlacement("configuration", path) is { } misplaced)
        {
            throw new ConfigException($"{path}: {misplaced}");
        }

        return IniFile.Load(path, handle =>
        {
            if (FileStat.TryLstatAt((int)handle.DangerousGetHandle(), "", out var stat) != 0)
            {
                throw new ConfigException($"{path}: cannot be examined; check the file");
            }

            if (Refusal(path, stat) is { } refusal)
            {
                throw new ConfigException(refusal);
            }
        });
    }

    /// <summary>Null when the file is trusted, else one line naming what is wrong and the fix.</summary>
    public static string? Refusal(string path, in FileStat stat)
    {
        if (!stat.IsRegularFile)
        {
            return $"{path}: not a regular file; point --config at the configuration file";
        }

        if (!Trust.IsOwnedByRootOrCaller(stat))
        {
            return $"{path}: owned by uid {stat.Uid}, not root or the caller (uid {FileStat.EffectiveUid}), who could then choose the lock store; refusing it (chown root '{path}')";
        }

        return stat.GroupWritable || stat.OthersWritable
            ? $"{path}: writable by {(stat.GroupWritable ? "group" : "others")} (mode {Convert.ToString(stat.Permissions, 8).PadLeft(4, '0')}), who could then choose the lock store; refusing it (chmod go-w '{path}')"
            : null;
    }
}
