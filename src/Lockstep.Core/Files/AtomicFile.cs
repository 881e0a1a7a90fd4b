using System.Runtime.InteropServices;
using System.Text;
using Lockstep.Processes;
using Microsoft.Win32.SafeHandles;

namespace Lockstep.Files;

/// <summary>
/// Writes that survive kill -9 and power loss: a reader sees the old content or the new, never a
/// mix. Temp file beside the target, fsync, rename over it, fsync the directory.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/> (mode 0600 unless given).</summary>
    public static void Write(string path, ReadOnlySpan<byte> content, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, UnixCreateMode = mode };
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush();
                FlushToDisk(stream.SafeFileHandle);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        SyncDirectory(dir);
    }

    public static void WriteText(string path, string content, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite) =>
        Write(path, Encoding.UTF8.GetBytes(content), mode);

    /// <summary>fsync of a directory, so a rename or create in it is on disk.</summary>
    public static void SyncDirectory(string dir)
    {
        // .NET refuses to open directories, so this one goes to libc.
        int fd = LibC.open(dir, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory {dir} to sync it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (LibC.fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory {dir} failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = LibC.close(fd);
        }
    }

    private static void FlushToDisk(SafeFileHandle handle)
    {
        if (LibC.fsync((int)handle.DangerousGetHandle()) != 0)
        {
            throw new IOException($"fsync failed (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
