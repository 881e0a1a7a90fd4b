using System.Runtime.InteropServices;
using Lockstep.Processes;
using Microsoft.Win32.SafeHandles;

namespace Lockstep.Files;

/// <summary>
/// The one way Lockstep reads a file whole (configuration, state, registry, run records, boot id,
/// certificates): only a regular file, never more than a bound, and a FIFO or device given by
/// mistake fails at once instead of hanging or filling memory. Failures are the .NET exceptions
/// callers already handle (<see cref="FileNotFoundException"/>, <see cref="UnauthorizedAccessException"/>,
/// <see cref="IOException"/> with a short reason).
/// </summary>
public static class BoundedFile
{
    /// <summary>The default bound: far above any file Lockstep reads whole.</summary>
    public const int DefaultMaxBytes = 16 * 1024 * 1024;

    /// <summary>Reads <paramref name="path"/> (symlinks followed).</summary>
    public static byte[] Read(string path, int maxBytes = DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        // Judged before it is opened: opening some devices acts (a watchdog arms, a tape rewinds).
        if (FileStat.TryStat(path, out var before) == 0 && !before.IsRegularFile)
        {
            throw NotRegular(before);
        }

        int fd = LibC.open(path, LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_NOCTTY | LibC.O_CLOEXEC, 0);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw errno switch
            {
                LibC.ENOENT when Path.GetDirectoryName(PathWalk.FullPath(path)) is { } dir && !(FileStat.TryStat(dir, out var parent) == 0 && parent.IsDirectory) => new DirectoryNotFoundException($"the directory of {path} does not exist"),
                LibC.ENOENT => new FileNotFoundException($"{path} does not exist", path),
                LibC.ENOTDIR => new DirectoryNotFoundException($"a part of {path} is not a directory"),
                LibC.EACCES or LibC.EPERM => new UnauthorizedAccessException($"{path}: permission denied"),
                LibC.EISDIR => new NotRegularFileException("it is a directory, not a regular file"),
                _ => new IOException(Marshal.GetPInvokeErrorMessage(errno)),
            };
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        return Read(handle, maxBytes);
    }

    /// <summary>Reads the file a walk checked, through its descriptor.</summary>
    public static byte[] Read(WalkedPath walked, int maxBytes = DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(walked);
        if (!walked.Stat.IsRegularFile)
        {
            throw NotRegular(walked.Stat);
        }

        return Read(walked.DescriptorPath, maxBytes);
    }

    private static byte[] Read(SafeFileHandle handle, int maxBytes)
    {
        int errno = FileStat.TryLstatAt((int)handle.DangerousGetHandle(), "", out var stat);
        if (errno != 0)
        {
            throw new IOException(Marshal.GetPInvokeErrorMessage(errno));
        }

        if (!stat.IsRegularFile)
        {
            throw NotRegular(stat);
        }

        // Files in /proc say size 0 and still have content: read until the end, never past the bound.
        var buffer = new byte[(int)Math.Min(Math.Max(stat.Size, 4096), maxBytes + 1L)];
        int read = 0;
        while (true)
        {
            if (read == buffer.Length)
            {
                if (read > maxBytes)
                {
                    throw new IOException($"it is larger than {Size(maxBytes)}, far more than such a file holds");
                }

                Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, maxBytes + 1L));
            }

            int n = RandomAccess.Read(handle, buffer.AsSpan(read), read);
            if (n <= 0)
            {
                return buffer[..read];
            }

            read += n;
        }
    }

    private static NotRegularFileException NotRegular(in FileStat stat) => new(stat.IsDirectory ? "it is a directory" : $"it is {stat.Kind}, not a regular file");

    private static string Size(int bytes) => bytes >= 1024 * 1024 ? $"{bytes / (1024 * 1024)} MiB" : $"{bytes / 1024} KiB";
}
