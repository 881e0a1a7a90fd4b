using System.Runtime.InteropServices;
using System.Text;
using Lockstep.Processes;
using Microsoft.Win32.SafeHandles;

namespace Lockstep.Files;

/// <summary>
/// Writes that survive kill -9 and power loss: a reader sees the old content or the new, never a
/// mix. Temp file beside the target, fsync, rename over it, fsync the directory. Everything
/// happens in the directory a <see cref="PathRule.Runtime"/> walk opened: a symlink another user
/// planted on the way is refused, the temp file is created with <c>O_EXCL|O_NOFOLLOW</c>, and a
/// rename replaces a name without following it.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/> (mode 0600 unless given).</summary>
    /// <param name="durable">
    /// fsync file and directory, so the write survives a power cut. Without it the rename is still
    /// atomic and survives kill -9 (the page cache is the kernel's): for a file that means nothing
    /// after a reboot anyway (a record of running processes), at a fraction of the cost.
    /// </param>
    public static void Write(string path, ReadOnlySpan<byte> content, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite, bool durable = true)
    {
        using var walked = PathWalk.Walk(path, PathRule.Runtime, "file");
        int dir = (int)walked.Directory.DangerousGetHandle();
        string temp = $".{walked.Name}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        int fd = LibC.openat(dir, temp, LibC.O_WRONLY | LibC.O_CREAT | LibC.O_EXCL | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, (uint)mode);
        if (fd < 0)
        {
            throw Failure("create a temporary file beside", path);
        }

        try
        {
            using (var handle = new SafeFileHandle(fd, ownsHandle: true))
            {
                // The mode is meant as given, whatever the umask (a metrics file must be readable by its exporter).
                if (LibC.fchmod(fd, (uint)mode) != 0)
                {
                    throw Failure("set the mode of a temporary file beside", path);
                }

                RandomAccess.Write(handle, content, 0);
                if (durable && LibC.fsync(fd) != 0)
                {
                    throw Failure("fsync", path);
                }
            }

            if (LibC.renameat(dir, temp, dir, walked.Name) != 0)
            {
                throw Failure("rename a temporary file over", path);
            }
        }
        catch
        {
            _ = LibC.unlinkat(dir, temp, 0);
            throw;
        }

        if (durable)
        {
            Sync(walked.Directory, walked.DirectoryPath);
        }
    }

    /// <summary>
    /// Removes <paramref name="path"/> through the directory a <see cref="PathRule.Runtime"/> walk
    /// opened, then fsyncs the directory when <paramref name="durable"/>; false when it was not there.
    /// </summary>
    /// <param name="what">Names the file in messages ("state file").</param>
    public static bool Remove(string path, string what, bool durable = true)
    {
        using var walked = PathWalk.Walk(path, PathRule.Runtime, what);
        if (!walked.Unlink(walked.Name))
        {
            return false;
        }

        if (durable)
        {
            Sync(walked.Directory, walked.DirectoryPath);
        }

        return true;
    }

    /// <summary>The pid in a temp name of <see cref="Write"/> (<c>.NAME.tmp-PID-GUID</c>), or null for other names.</summary>
    public static int? TempWriterPid(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        int at = name.LastIndexOf(".tmp-", StringComparison.Ordinal);
        if (!name.StartsWith('.') || at < 0)
        {
            return null;
        }

        string rest = name[(at + 5)..];
        int dash = rest.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && int.TryParse(rest.AsSpan(0, dash), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid) ? pid : null;
    }

    public static void WriteText(string path, string content, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite) =>
        Write(path, Encoding.UTF8.GetBytes(content), mode);

    /// <summary>fsync of a directory held by an <c>O_PATH</c> descriptor (which cannot be synced itself).</summary>
    private static void Sync(SafeFileHandle directory, string display)
    {
        int fd = LibC.openat((int)directory.DangerousGetHandle(), ".", LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory {display} to sync it (errno {Marshal.GetLastPInvokeError()})");
        }

        SyncAndClose(fd, display);
    }

    private static void SyncAndClose(int fd, string display)
    {
        try
        {
            if (LibC.fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory {display} failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = LibC.close(fd);
        }
    }

    private static Exception Failure(string what, string path)
    {
        int errno = Marshal.GetLastPInvokeError();
        return errno is LibC.EACCES or LibC.EPERM
            ? new UnauthorizedAccessException($"cannot {what} {path}: permission denied")
            : new IOException($"cannot {what} {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
    }
}
