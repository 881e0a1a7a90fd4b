using System.Runtime.InteropServices;

namespace Lockstep.Processes;

/// <summary>The file-system calls of the state commands, which work below .NET's file API (at-calls, modes, owners, device nodes).</summary>
internal static unsafe partial class LibC
{
    [StructLayout(LayoutKind.Sequential)]
    public struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(OsTextMarshaller))]
    public static partial int lchown(string path, uint owner, uint group);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(OsTextMarshaller))]
    public static partial int chmod(string path, uint mode);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(OsTextMarshaller))]
    public static partial int mkdir(string path, uint mode);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(OsTextMarshaller))]
    public static partial int mknod(string path, uint mode, ulong dev);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(OsTextMarshaller))]
    public static partial int symlink(string target, string linkPath);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(OsTextMarshaller))]
    public static partial int utimensat(int dirFd, string path, Timespec* times, int flags);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(OsTextMarshaller))]
    public static partial int renameat2(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int syncfs(int fd);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(OsTextMarshaller))]
    public static partial int openat(int dirFd, string path, int flags, uint mode);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(OsTextMarshaller))]
    public static partial int mkdirat(int dirFd, string path, uint mode);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(OsTextMarshaller))]
    public static partial int unlinkat(int dirFd, string path, int flags);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(OsTextMarshaller))]
    public static partial int symlinkat(string target, int dirFd, string linkPath);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int fchmod(int fd, uint mode);

    public const int AT_FDCWD = -100;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial byte* getcwd(byte* buffer, nuint size);

    /// <summary>Takes over <paramref name="fd"/> (closedir closes it).</summary>
    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint fdopendir(int fd);

    /// <summary>A struct dirent64 (glibc's struct dirent on 64-bit targets), or null at the end or on error (errno).</summary>
    [LibraryImport(Lib, SetLastError = true)]
    public static partial byte* readdir(nint dir);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int closedir(nint dir);

    /// <summary>d_name's offset in struct dirent64: after d_ino (8), d_off (8), d_reclen (2), d_type (1).</summary>
    public const int DirentNameOffset = 19;
}
