using System.Runtime.InteropServices;
using Lockstep.Processes;

namespace Lockstep.State;

/// <summary>The calls relative to an open directory, which <see cref="DirectoryHandle"/>, <see cref="Tree"/> and <see cref="Staging"/> make.</summary>
internal static partial class PosixFs
{
    private const int AtRemoveDir = 0x200;
    private const int CloseOnExec = 0x80000;
    private const int NoControllingTerminal = 0x100;
    private const int NonBlocking = 0x800;

    // The two flags whose values differ between x86_64 and the generic layout (aarch64).
    private static readonly bool Generic = RuntimeInformation.ProcessArchitecture == Architecture.Arm64;
    private static readonly int DirectoryOnly = LibC.O_DIRECTORY;
    private static readonly int NoFollow = Generic ? 0x8000 : 0x20000;

    /// <summary>LibC.renameat2(2) between two open directories that fails with EEXIST instead of replacing; returns 0 or the errno.</summary>
    public static int TryRenameNoReplace(int fromDir, string from, int toDir, string to) =>
        LibC.renameat2(fromDir, from, toDir, to, RenameNoReplaceFlag) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>Opens a directory entry, never through a symlink in its last component (ELOOP or ENOTDIR then); returns the fd or -errno.</summary>
    public static int TryOpenDirectoryAt(int dirFd, string name, bool follow)
    {
        int fd = LibC.openat(dirFd, name, LibC.O_RDONLY | DirectoryOnly | CloseOnExec | (follow ? 0 : NoFollow), 0);
        return fd >= 0 ? fd : -Marshal.GetLastPInvokeError();
    }

    /// <summary>Opens an entry for reading, never through a symlink; a FIFO does not block (the caller checks the type).</summary>
    public static int OpenReadAt(int dirFd, string name, string display)
    {
        int fd = LibC.openat(dirFd, name, LibC.O_RDONLY | NoFollow | NonBlocking | NoControllingTerminal | CloseOnExec, 0);
        return fd >= 0 ? fd : throw new PosixException(Marshal.GetLastPInvokeError(), "open", display);
    }

    /// <summary>Opens a directory by path, following symlinks (for roots the caller named); returns the fd.</summary>
    public static int OpenDirectory(string directory)
    {
        int fd = LibC.open(directory, LibC.O_RDONLY | DirectoryOnly | CloseOnExec, 0);
        return fd >= 0 ? fd : throw new PosixException(Marshal.GetLastPInvokeError(), "open", directory);
    }

    public static void MkdirAt(int dirFd, string name, uint permissions, string display) => Check(LibC.mkdirat(dirFd, name, permissions), "mkdir", display);

    public static void UnlinkAt(int dirFd, string name, bool directory, string display) =>
        Check(LibC.unlinkat(dirFd, name, directory ? AtRemoveDir : 0), directory ? "rmdir" : "unlink", display);

    public static void SymlinkAt(string target, int dirFd, string name, string display) => Check(LibC.symlinkat(target, dirFd, name), "symlink", display);

    public static void Fchmod(int fd, uint permissions, string display) => Check(LibC.fchmod(fd, permissions), "chmod", display);

    public static void Fsync(int fd, string display) => Check(LibC.fsync(fd), "fsync", display);

    /// <summary>LibC.syncfs(2) on an open fd: everything written to its file system is on disk.</summary>
    public static void SyncFileSystem(int fd, string display) => Check(LibC.syncfs(fd), "syncfs", display);






}
