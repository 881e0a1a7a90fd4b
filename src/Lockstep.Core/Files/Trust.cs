using Lockstep.Processes;

namespace Lockstep.Files;

/// <summary>
/// Code Lockstep runs as root must not be changeable by anyone else: a script or script directory
/// writable by group or others, or owned by a user other than root or the caller, is refused.
/// </summary>
public static class Trust
{
    /// <summary>Null when trusted, else the one-line reason with the fix.</summary>
    public static string? Check(string what, string path, in FileStat stat)
    {
        uint caller = FileStat.EffectiveUid;
        if (stat.Uid != 0 && stat.Uid != caller)
        {
            return $"{what} {path} is owned by uid {stat.Uid}, not root or the caller (uid {caller}); refusing to run it (chown it)";
        }

        if (stat.GroupWritable || stat.OthersWritable)
        {
            string who = stat.GroupWritable && stat.OthersWritable ? "group and others" : stat.GroupWritable ? "group" : "others";
            string flag = stat.GroupWritable && stat.OthersWritable ? "go-w" : stat.GroupWritable ? "g-w" : "o-w";
            return $"{what} {path} is writable by {who} (mode {Convert.ToString(stat.Permissions, 8).PadLeft(4, '0')}); refusing to run it (chmod {flag} '{path}')";
        }

        return null;
    }
}
