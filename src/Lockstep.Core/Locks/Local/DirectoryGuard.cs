using System.Runtime.InteropServices;
using Lockstep.Files;
using Lockstep.Processes;

namespace Lockstep.Locks.Local;

/// <summary>
/// An exclusive flock on the directory of a file that is replaced by rename, held for one
/// read-change-write: the file itself cannot carry the flock, since each write makes a new inode.
/// </summary>
internal readonly struct DirectoryGuard : IDisposable
{
    private readonly int _fd;

    private DirectoryGuard(int fd) => _fd = fd;

    /// <summary>Creates the directory of <paramref name="file"/> (0700) if needed and locks it; waits for another holder.</summary>
    public static DirectoryGuard Lock(string file)
    {
        RuntimeDirectory.EnsureFor(file);
        string directory = Path.GetDirectoryName(Path.GetFullPath(file))!;
        int fd = LibC.open(directory, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
        if (fd < 0 || LibC.flock(fd, LibC.LOCK_EX) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (fd >= 0)
            {
                _ = LibC.close(fd);
            }

            throw new IOException($"cannot lock directory {directory} ({Marshal.GetPInvokeErrorMessage(errno)})");
        }

        return new DirectoryGuard(fd);
    }

    public void Dispose() => _ = LibC.close(_fd);
}
