using System.Runtime.InteropServices;
using Lockstep.Processes;
using Microsoft.Win32.SafeHandles;

namespace Lockstep.Files;

/// <summary>
/// An exclusive flock(2) on a file or directory, held until disposed; the kernel drops it when the
/// process ends, even by kill -9, so a crash never leaves a lock behind. Files are opened through
/// libc, not FileStream: .NET takes a flock of its own on a FileStream, which would fight this one.
/// A lock file is opened by <see cref="RuntimeFile.Open"/> (never through a symlink another user planted).
/// Every lock of Lockstep is one of these (the refresh lockfile, update's run lock, the state
/// registry's directory, the local lock backend's directory); they differ only in what they say.
/// </summary>
internal sealed class FileLock : IDisposable
{
    /// <summary>Mode of a lock file Lockstep creates: 0600.</summary>
    public const int FileMode = 0b110_000_000;

    private FileLock(SafeFileHandle handle) => Handle = handle;

    /// <summary>The open file, for reading or writing the holder's line.</summary>
    public SafeFileHandle Handle { get; }

    /// <summary>
    /// Opens the directory <paramref name="path"/>, walked as a runtime file's path is (a symlink
    /// another user planted on the way is refused, not followed); the errno otherwise.
    /// </summary>
    public static int OpenDirectory(string path, out SafeFileHandle? handle)
    {
        handle = null;
        WalkedPath walked;
        try
        {
            walked = PathWalk.Walk(path, PathRule.Runtime, "lock directory");
        }
        catch (PathRefusedException e) when (e.Errno != 0)
        {
            return e.Errno;
        }

        using (walked)
        {
            if (walked.Leaf is not { } leaf)
            {
                return LibC.ENOENT;
            }

            // The walk's descriptor is O_PATH, which flock refuses: reopen that very directory.
            int fd = LibC.openat((int)leaf.DangerousGetHandle(), ".", LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
            if (fd < 0)
            {
                return Marshal.GetLastPInvokeError();
            }

            handle = new SafeFileHandle(fd, ownsHandle: true);
            return 0;
        }
    }

    /// <summary>Tries once: the lock, or null with <paramref name="errno"/> (EWOULDBLOCK when another holds it). The handle stays the caller's until locked.</summary>
    public static FileLock? TryTake(SafeFileHandle handle, out int errno)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (LibC.flock((int)handle.DangerousGetHandle(), LibC.LOCK_EX | LibC.LOCK_NB) == 0)
        {
            errno = 0;
            return new FileLock(handle);
        }

        errno = Marshal.GetLastPInvokeError();
        return null;
    }

    /// <summary>Waits for the lock (a signal does not end the wait); throws <see cref="IOException"/> naming <paramref name="display"/> on any other failure.</summary>
    public static FileLock Take(SafeFileHandle handle, string display)
    {
        ArgumentNullException.ThrowIfNull(handle);
        while (LibC.flock((int)handle.DangerousGetHandle(), LibC.LOCK_EX) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != LibC.EINTR)
            {
                throw new IOException($"cannot lock {display} ({Marshal.GetPInvokeErrorMessage(errno)})");
            }
        }

        return new FileLock(handle);
    }

    /// <summary>Locks the directory <paramref name="directory"/>, waiting for another holder (then <paramref name="waited"/>); throws <see cref="IOException"/>.</summary>
    public static FileLock Directory(string directory, out bool waited)
    {
        waited = false;
        int errno = OpenDirectory(directory, out var handle);
        if (handle is null)
        {
            throw new IOException($"cannot lock directory {directory} ({Marshal.GetPInvokeErrorMessage(errno)})");
        }

        try
        {
            if (TryTake(handle, out _) is { } taken)
            {
                return taken;
            }

            waited = true;
            return Take(handle, $"directory {directory}");
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Closes the file, which releases the lock.</summary>
    public void Dispose() => Handle.Dispose();
}
