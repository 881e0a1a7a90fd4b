using Lockstep.Processes;

namespace Lockstep.State;

/// <summary>lstat-based checks: a dangling symlink is an entry that exists.</summary>
internal static class Entry
{
    private const int ENOENT = 2;
    private const int ENOTDIR = 20;

    /// <summary>lstat; false when nothing is there, throws on any other failure.</summary>
    public static bool TryLstat(string path, out FileStat stat) => Found(FileStat.TryLstat(path, out stat), "lstat", path);

    /// <summary>stat (following symlinks); false when nothing is there or a symlink dangles.</summary>
    public static bool TryStat(string path, out FileStat stat) => Found(FileStat.TryStat(path, out stat), "stat", path);

    public static bool Exists(string path) => TryLstat(path, out _);

    public static bool IsDirectory(string path) => TryStat(path, out var stat) && stat.IsDirectory;

    public static string? LinkTarget(string path) => Files.SymlinkTarget.Read(path);

    private static bool Found(int errno, string call, string path) => errno switch
    {
        0 => true,
        ENOENT or ENOTDIR => false,
        _ => throw new PosixException(errno, call, path),
    };
}
