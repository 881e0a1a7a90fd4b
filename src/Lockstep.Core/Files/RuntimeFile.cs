using System.Runtime.InteropServices;
using Lockstep.Processes;
using Microsoft.Win32.SafeHandles;

namespace Lockstep.Files;

/// <summary>
/// Opens a file Lockstep writes as root (lockfile, run lock, log), never through a symlink someone
/// else planted: the path is walked under <see cref="PathRule.Runtime"/> (a symlink on the way is
/// followed only when root or the caller owns it), the file is opened in the directory the walk
/// ended in with <c>O_NOFOLLOW</c> and <c>O_NONBLOCK</c> (a FIFO cannot hang it), and what was
/// opened must be a regular file of root's or the caller's with no other hard link. Missing
/// directories are created 0700, a missing file 0600.
/// </summary>
public static class RuntimeFile
{
    public const int CreateMode = 0b110_000_000;

    private const uint CharacterDevice = 0x2000;

    /// <summary>
    /// Reads a file Lockstep wrote (state, run record, registry), walked as <see cref="Open"/> walks
    /// (a symlink another user planted is refused, not followed) and read by <see cref="BoundedFile"/>;
    /// null when it does not exist. Like a file <see cref="Open"/> writes, it must be root's or the
    /// caller's with no other hard link: what another user put there, or linked from elsewhere, is
    /// refused (<see cref="PathRefusedException"/> with Errno 0), never taken as Lockstep's own.
    /// </summary>
    /// <param name="actedOn">False for a file that is only shown (a run record, which any user's run may have written).</param>
    public static byte[]? Read(string path, string what, int maxBytes, bool actedOn = true)
    {
        WalkedPath walked;
        try
        {
            walked = PathWalk.Walk(path, PathRule.Runtime, what);
        }
        catch (PathRefusedException e) when (e.Errno == LibC.ENOENT)
        {
            // A directory on the way is missing: nothing was written there yet.
            return null;
        }

        using (walked)
        {
            if (!walked.Exists)
            {
                return null;
            }

            return actedOn && Refusal(walked.Stat) is { } refusal && walked.Stat.IsRegularFile
                ? throw new PathRefusedException($"{what} {PathWalk.Shown(path)} {refusal}")
                : BoundedFile.Read(walked, maxBytes);
        }
    }

    /// <summary>Opens <paramref name="path"/> with <paramref name="access"/> (<c>O_RDWR</c>, <c>O_WRONLY|O_APPEND</c>), created if missing; throws <see cref="PathRefusedException"/> (Errno set for a failed call, 0 for a refusal).</summary>
    /// <param name="what">Names the file in messages: "lockfile", "run lock", "log file".</param>
    /// <param name="createDirectories">Create missing directories on the way (0700).</param>
    /// <param name="allowCharacterDevice">Take a character device as it is (<c>/dev/null</c> as a log): only root can make one.</param>
    public static SafeFileHandle Open(string path, string what, int access, bool createDirectories, bool allowCharacterDevice = false)
    {
        using var walked = PathWalk.Walk(path, PathRule.Runtime, what, createDirectories);
        bool device = allowCharacterDevice && (walked.Stat.Mode & FileStat.TypeMask) == CharacterDevice;
        if (walked.Exists && !walked.Stat.IsRegularFile && !device)
        {
            throw new PathRefusedException($"{what} {PathWalk.Shown(path)} is {walked.Stat.Kind}, not a regular file; give the path of a regular file", LibC.EISDIR);
        }

        int fd = LibC.openat((int)walked.Directory.DangerousGetHandle(), walked.Name,
            access | LibC.O_CREAT | LibC.O_NOFOLLOW | LibC.O_NONBLOCK | LibC.O_NOCTTY | LibC.O_CLOEXEC, CreateMode);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            // ELOOP: a symlink was put there since the walk looked.
            throw new PathRefusedException(errno == LibC.ELOOP
                ? $"{what} {PathWalk.Shown(path)} became a symlink while lockstep opened it; lockstep does not follow it: remove it"
                : $"{what} {PathWalk.Shown(path)} cannot be opened ({Marshal.GetPInvokeErrorMessage(errno)})", errno == LibC.ELOOP ? 0 : errno);
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            var stat = PathWalk.Stat(handle, path);
            if (device && (stat.Mode & FileStat.TypeMask) == CharacterDevice)
            {
                return handle;
            }

            string? refusal = !stat.IsRegularFile ? $"is {stat.Kind}, not a regular file; give the path of a regular file" : Refusal(stat);
            return refusal is null ? handle : throw new PathRefusedException($"{what} {PathWalk.Shown(path)} {refusal}", refusal.StartsWith("is a", StringComparison.Ordinal) ? LibC.EISDIR : 0);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Why a runtime file is not Lockstep's own (another user's, or hard-linked from elsewhere), or null.</summary>
    private static string? Refusal(in FileStat stat) =>
        !Trust.IsOwnedByRootOrCaller(stat) ? $"is owned by uid {stat.Uid}, not root or the caller (uid {FileStat.EffectiveUid}); lockstep does not take another user's file for its own: remove it"
        : stat.Links > 1 ? $"has {stat.Links} hard links; lockstep does not take a file that is also elsewhere for its own: remove it"
        : null;
}
