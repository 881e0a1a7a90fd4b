using System.Runtime.InteropServices;
using Lockstep.Processes;

namespace Lockstep.Files;

/// <summary>
/// The names in a directory as the kernel keeps them, read with readdir(3) and decoded by
/// <see cref="OsText"/>: .NET's own enumeration decodes a name that is not UTF-8 into U+FFFD, after
/// which no call can reach that file again. "." and ".." are left out.
/// </summary>
public static unsafe class DirectoryEntries
{
    /// <summary>The names in the directory at <paramref name="path"/> (symlinks followed); throws <see cref="PathRefusedException"/> with the errno.</summary>
    public static List<string> Names(string path) => Read(LibC.AT_FDCWD, path, path);

    /// <summary>The names in the directory held by <paramref name="directory"/> (an <c>O_PATH</c> descriptor will do).</summary>
    /// <param name="display">The directory's path, for messages.</param>
    public static List<string> Names(int directory, string display) => Read(directory, ".", display);

    private static List<string> Read(int at, string path, string display)
    {
        int fd = LibC.openat(at, path, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC | LibC.O_NONBLOCK, 0);
        if (fd < 0)
        {
            throw Failure(display, Marshal.GetLastPInvokeError());
        }

        nint dir = LibC.fdopendir(fd);
        if (dir == 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            _ = LibC.close(fd);
            throw Failure(display, errno);
        }

        try
        {
            var names = new List<string>();
            while (true)
            {
                // readdir returns null both at the end (errno untouched: the import cleared it) and on error.
                byte* entry = LibC.readdir(dir);
                if (entry == null)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    return errno == 0 ? names : throw Failure(display, errno);
                }

                var name = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(entry + LibC.DirentNameOffset);
                if (!name.SequenceEqual("."u8) && !name.SequenceEqual(".."u8))
                {
                    names.Add(OsText.Decode(name));
                }
            }
        }
        finally
        {
            _ = LibC.closedir(dir);
        }
    }

    private static PathRefusedException Failure(string path, int errno) => new(
        $"directory {PathWalk.Shown(path)} cannot be listed ({(errno == LibC.EACCES ? "permission denied" : Marshal.GetPInvokeErrorMessage(errno))})", errno);
}
