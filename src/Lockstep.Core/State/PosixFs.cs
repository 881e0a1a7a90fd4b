using System.Runtime.InteropServices;
using Lockstep.Processes;

namespace Lockstep.State;

/// <summary>
/// The libc calls a metadata-preserving copy needs and .NET lacks: owner and mtime of a symlink
/// itself, a rename that never replaces, a lock on a directory; and (in PosixFs.At.cs) the calls
/// relative to an open directory. Each throws
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

    [LibraryImport(Lib, SetLastError = true)]
    private static partial int flock(int fd, int operation);
}
