using Lockstep.Processes;

namespace Lockstep.Files;

/// <summary>
/// Code Lockstep runs as root must not be changeable by anyone else: a script or script directory
/// writable by group or others, or owned by a user other than root or the caller, is refused; so
/// is a directory that others could swap for one of their own (through a symlink they own, or a
/// parent directory they may write).
/// </summary>
internal static class Trust
{
    /// <summary>Null when trusted, else the one-line reason with the fix.</summary>
    public static string? Check(string what, string path, in FileStat stat) =>
        CheckOwner(what, path, stat) ?? CheckWritable(what, path, stat);

    /// <summary>Owned by root or the caller: nobody else can change its mode or contents behind our back.</summary>
    public static bool IsOwnedByRootOrCaller(in FileStat stat) => stat.Uid == 0 || stat.Uid == FileStat.EffectiveUid;

    /// <summary>Owned by root or the caller and writable by neither group nor others.</summary>
    public static bool IsTrusted(in FileStat stat) => IsOwnedByRootOrCaller(stat) && !stat.GroupWritable && !stat.OthersWritable;

    /// <summary>Null when <paramref name="dir"/> cannot be replaced by another user: its symlink (if any) and its parent are trusted.</summary>
    public static string? CheckPlacement(string what, string dir)
    {
        if (FileStat.TryLstat(dir, out var link) == 0 && link.IsSymlink && CheckOwner($"symlink to the {what}", dir, link) is { } foreignLink)
        {
            return foreignLink;
        }

        string trimmed = dir.TrimEnd('/');
        if (trimmed.Length == 0)
        {
            return null;
        }

        string parent = Path.GetDirectoryName(trimmed) is { Length: > 0 } p ? p : ".";
        if (FileStat.TryStat(parent, out var stat) != 0)
        {
            return null;
        }

        // In a sticky directory (/tmp) only an entry's owner may rename or remove it.
        bool sticky = (stat.Mode & 0x200) != 0;
        return CheckOwner($"directory {parent}, which holds the {what},", parent, stat, includePath: false)
            ?? (sticky ? null : CheckWritable($"directory {parent}, which holds the {what} {dir}, so anyone could replace it:", parent, stat, includePath: false));
    }

    private static string? CheckOwner(string what, string path, in FileStat stat, bool includePath = true)
    {
        string subject = includePath ? $"{what} {path}" : what;
        return IsOwnedByRootOrCaller(stat)
            ? null
            : $"{subject} is owned by uid {stat.Uid}, not root or the caller (uid {FileStat.EffectiveUid}); refusing to run it (chown it)";
    }

    private static string? CheckWritable(string what, string path, in FileStat stat, bool includePath = true)
    {
        if (!stat.GroupWritable && !stat.OthersWritable)
        {
            return null;
        }

        string subject = includePath ? $"{what} {path}" : what;
        string who = stat.GroupWritable && stat.OthersWritable ? "group and others" : stat.GroupWritable ? "group" : "others";
        string flag = stat.GroupWritable && stat.OthersWritable ? "go-w" : stat.GroupWritable ? "g-w" : "o-w";
        return $"{subject} is writable by {who} (mode {Convert.ToString(stat.Permissions, 8).PadLeft(4, '0')}); refusing to run it (chmod {flag} '{path}')";
    }
}
