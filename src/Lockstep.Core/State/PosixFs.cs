using System.Runtime.InteropServices;
using Lockstep.Processes;

namespace Lockstep.State;

/// <summary>
/// The libc calls a metadata-preserving copy needs and .NET lacks: owner and mtime of a symlink
/// itself, a rename that never replaces, a sync of a whole file system, and the calls relative to
/// an open directory that <see cref="DirectoryHandle"/> makes. Each throws
/// <see cref="PosixException"/> naming the call and the path.
/// </summary>
internal static unsafe partial class PosixFs
{
    private const string Lib = "libc";
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint RenameNoReplaceFlag = 1;
    private const long UtimeOmit = (1L << 30) - 2;
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;
    private const int AtRemoveDir = 0x200;
    private const int CloseOnExec = 0x80000;
    private const int NoControllingTerminal = 0x100;
    private const int NonBlocking = 0x800;

    // The two flags whose values differ between x86_64 and the generic layout (aarch64).
    private static readonly bool Generic = RuntimeInformation.ProcessArchitecture == Architecture.Arm64;
    private static readonly int DirectoryOnly = Generic ? 0x4000 : 0x10000;
    private static readonly int NoFollow = Generic ? 0x8000 : 0x20000;

    public const int EPERM = 1;
    public const int EEXIST = 17;
    public const int EXDEV = 18;
    public const int ENOTDIR = 20;
    public const int ENOTEMPTY = 39;
    public const int ELOOP = 40;

    public static void Lchown(string path, uint uid, uint gid) => Check(lchown(path, uid, gid), "chown", path);

    public static void Chmod(string path, uint permissions) => Check(chmod(path, permissions), "chmod", path);

    public static void Mkdir(string path, uint permissions) => Check(mkdir(path, permissions), "mkdir", path);

    /// <summary>Creates a FIFO or socket node (mode carries the type bits).</summary>
    public static void MakeNode(string path, uint mode) => Check(mknod(path, mode, 0), "mknod", path);

    public static void Symlink(string target, string path) => Check(symlink(target, path), "symlink", path);

    /// <summary>Sets the modification time of the entry itself (a symlink is not followed); access time is left alone.</summary>
    public static void SetMtime(string path, long seconds, long nanoseconds)
    {
        Timespec* times = stackalloc Timespec[2];
        times[0] = new Timespec { Seconds = 0, Nanoseconds = UtimeOmit };
        times[1] = new Timespec { Seconds = seconds, Nanoseconds = nanoseconds };
        Check(utimensat(AtFdCwd, path, times, AtSymlinkNoFollow), "utimensat", path);
    }

    /// <summary>rename(2) that fails with EEXIST instead of replacing; returns 0 or the errno.</summary>
    public static int TryRenameNoReplace(string from, string to) =>
        renameat2(AtFdCwd, from, AtFdCwd, to, RenameNoReplaceFlag) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>renameat2(2) between two open directories that fails with EEXIST instead of replacing; returns 0 or the errno.</summary>
    public static int TryRenameNoReplace(int fromDir, string from, int toDir, string to) =>
        renameat2(fromDir, from, toDir, to, RenameNoReplaceFlag) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>Opens a directory entry, never through a symlink in its last component (ELOOP or ENOTDIR then); returns the fd or -errno.</summary>
    public static int TryOpenDirectoryAt(int dirFd, string name, bool follow)
    {
        int fd = openat(dirFd, name, LibC.O_RDONLY | DirectoryOnly | CloseOnExec | (follow ? 0 : NoFollow), 0);
        return fd >= 0 ? fd : -Marshal.GetLastPInvokeError();
    }

    /// <summary>Opens an entry for reading, never through a symlink; a FIFO does not block (the caller checks the type).</summary>
    public static int OpenReadAt(int dirFd, string name, string display)
    {
        int fd = openat(dirFd, name, LibC.O_RDONLY | NoFollow | NonBlocking | NoControllingTerminal | CloseOnExec, 0);
        return fd >= 0 ? fd : throw new PosixException(Marshal.GetLastPInvokeError(), "open", display);
    }

    /// <summary>Opens a directory by path, following symlinks (for roots the caller named); returns the fd.</summary>
    public static int OpenDirectory(string directory)
    {
        int fd = open(directory, LibC.O_RDONLY | DirectoryOnly | CloseOnExec, 0);
        return fd >= 0 ? fd : throw new PosixException(Marshal.GetLastPInvokeError(), "open", directory);
    }

    public static void MkdirAt(int dirFd, string name, uint permissions, string display) => Check(mkdirat(dirFd, name, permissions), "mkdir", display);

    public static void UnlinkAt(int dirFd, string name, bool directory, string display) =>
        Check(unlinkat(dirFd, name, directory ? AtRemoveDir : 0), directory ? "rmdir" : "unlink", display);

    public static void SymlinkAt(string target, int dirFd, string name, string display) => Check(symlinkat(target, dirFd, name), "symlink", display);

    public static void Fchmod(int fd, uint permissions, string display) => Check(fchmod(fd, permissions), "chmod", display);

    public static void Fsync(int fd, string display) => Check(LibC.fsync(fd), "fsync", display);

    /// <summary>syncfs(2) on an open fd: everything written to its file system is on disk.</summary>
    public static void SyncFileSystem(int fd, string display) => Check(syncfs(fd), "syncfs", display);

    /// <summary>syncfs(2): everything written to the file system holding <paramref name="directory"/> is on disk.</summary>
    public static void SyncFileSystem(string directory)
    {
        int fd = OpenDirectory(directory);
        try
        {
            Check(syncfs(fd), "syncfs", directory);
        }
        finally
        {
            _ = LibC.close(fd);
        }
    }

    /// <summary>An exclusive flock on a directory, held until the returned fd is closed.</summary>
    public static int LockDirectory(string directory, out bool waited)
    {
        int fd = OpenDirectory(directory);
        waited = false;
        if (flock(fd, LockExclusive | LockNonBlocking) == 0)
        {
            return fd;
        }

        waited = true;
        while (flock(fd, LockExclusive) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != LibC.EINTR)
            {
                _ = LibC.close(fd);
                throw new PosixException(errno, "flock", directory);
            }
        }

        return fd;
    }

    public static void Unlock(int fd) => _ = LibC.close(fd);

    private static void Check(int rc, string call, string path)
    {
        if (rc != 0)
        {
            throw new PosixException(Marshal.GetLastPInvokeError(), call, path);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int lchown(string path, uint owner, uint group);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int chmod(string path, uint mode);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mkdir(string path, uint mode);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mknod(string path, uint mode, ulong dev);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int symlink(string target, string linkPath);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int utimensat(int dirFd, string path, Timespec* times, int flags);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int renameat2(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);

    [LibraryImport(Lib, SetLastError = true)]
    private static partial int syncfs(int fd);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags, uint mode);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int openat(int dirFd, string path, int flags, uint mode);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mkdirat(int dirFd, string path, uint mode);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int unlinkat(int dirFd, string path, int flags);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int symlinkat(string target, int dirFd, string linkPath);

    [LibraryImport(Lib, SetLastError = true)]
    private static partial int fchmod(int fd, uint mode);

    [LibraryImport(Lib, SetLastError = true)]
    private static partial int flock(int fd, int operation);
}
