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
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint RenameNoReplaceFlag = 1;
    private const long UtimeOmit = (1L << 30) - 2;
    public const int EPERM = 1;
    public const int EEXIST = 17;
    public const int EXDEV = 18;
    public const int ENOTDIR = 20;
    public const int ENOTEMPTY = 39;
    public const int ELOOP = 40;

    public static void Lchown(string path, uint uid, uint gid) => Check(LibC.lchown(path, uid, gid), "chown", path);

    public static void Chmod(string path, uint permissions) => Check(LibC.chmod(path, permissions), "chmod", path);

    public static void Mkdir(string path, uint permissions) => Check(LibC.mkdir(path, permissions), "mkdir", path);

    /// <summary>Creates a FIFO or socket node (mode carries the type bits).</summary>
    public static void MakeNode(string path, uint mode) => Check(LibC.mknod(path, mode, 0), "mknod", path);

    public static void Symlink(string target, string path) => Check(LibC.symlink(target, path), "symlink", path);

    /// <summary>Sets the modification time of the entry itself (a symlink is not followed); access time is left alone.</summary>
    public static void SetMtime(string path, long seconds, long nanoseconds)
    {
        LibC.Timespec* times = stackalloc LibC.Timespec[2];
        times[0] = new LibC.Timespec { Seconds = 0, Nanoseconds = UtimeOmit };
        times[1] = new LibC.Timespec { Seconds = seconds, Nanoseconds = nanoseconds };
        Check(LibC.utimensat(AtFdCwd, path, times, AtSymlinkNoFollow), "utimensat", path);
    }

    private static void Check(int rc, string call, string path)
    {
        if (rc != 0)
        {
            throw new PosixException(Marshal.GetLastPInvokeError(), call, path);
        }
    }









}
