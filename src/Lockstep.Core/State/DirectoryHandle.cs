using Lockstep.Files;
using Lockstep.Processes;

namespace Lockstep.State;

/// <summary>
/// A directory held open. Its entries are reached through the fd (the *at calls, and
/// <see cref="Anchor"/>), so whoever renames it, or replaces a directory on its path by a symlink,
/// after it was opened cannot redirect what is done in it.
/// </summary>
internal sealed class DirectoryHandle : IDisposable
{
    private DirectoryHandle(int fd, string path)
    {
        Fd = fd;
        Path = path;
    }

    public int Fd { get; }

    /// <summary>The path it was opened by, for messages only: the directory may have moved since.</summary>
    public string Path { get; }

    /// <summary>A path to this very directory: the kernel resolves <c>/proc/self/fd/N</c> to the open directory, not by name.</summary>
    public string Anchor => $"/proc/self/fd/{Fd}";

    /// <summary>Opens a directory by path, following symlinks: only for a root the caller named.</summary>
    public static DirectoryHandle Open(string path) => new(PosixFs.OpenDirectory(path), path);

    /// <summary>The message path of an entry.</summary>
    public string PathOf(string name) => Path.TrimEnd('/') + "/" + name;

    /// <summary>lstat of an entry; false when nothing is there.</summary>
    public bool TryLstat(string name, out FileStat stat)
    {
        int errno = FileStat.TryLstatAt(Fd, name, out stat);
        return errno switch
        {
            0 => true,
            LibC.ENOENT => false,
            _ => throw new PosixException(errno, "lstat", PathOf(name)),
        };
    }

    public FileStat Stat()
    {
        int errno = FileStat.TryLstatAt(Fd, "", out var stat);
        return errno == 0 ? stat : throw new PosixException(errno, "stat", Path);
    }

    /// <summary>Opens a subdirectory; a symlink is followed only when <paramref name="follow"/> says so. Returns null when the entry is a symlink or not a directory.</summary>
    public DirectoryHandle? TryOpenChild(string name, bool follow = false)
    {
        int fd = PosixFs.TryOpenDirectoryAt(Fd, name, follow);
        return fd >= 0 ? new DirectoryHandle(fd, PathOf(name))
            : -fd is PosixFs.ELOOP or PosixFs.ENOTDIR ? null
            : throw new PosixException(-fd, "open", PathOf(name));
    }

    public DirectoryHandle OpenChild(string name) =>
        TryOpenChild(name) ?? throw new IOException($"{PathOf(name)} is no longer a directory: something replaced it while lockstep was working in it");

    /// <summary>The names of the entries starting with <paramref name="prefix"/> (dot files too), with their bytes (README, "Paths are bytes").</summary>
    public List<string> Names(string prefix = "") =>
        [.. DirectoryEntries.Names(Fd, Path).Where(name => name.StartsWith(prefix, StringComparison.Ordinal))];

    /// <summary>The target of a symlink entry, with its bytes, or null when the entry is no symlink.</summary>
    public string? LinkTarget(string name) => SymlinkTarget.Read(Fd, name, PathOf(name));

    /// <summary>fsync of the directory, so a rename or create in it is on disk.</summary>
    public void Sync() => PosixFs.Fsync(Fd, Path);

    public void SyncFileSystem() => PosixFs.SyncFileSystem(Fd, Path);

    public void Dispose() => _ = LibC.close(Fd);
}
