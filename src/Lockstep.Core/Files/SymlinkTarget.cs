using System.Runtime.InteropServices;
using Lockstep.Processes;

namespace Lockstep.Files;

/// <summary>
/// readlinkat(2) with the target's bytes kept (<see cref="OsText"/>): .NET's
/// <see cref="FileSystemInfo.LinkTarget"/> decodes a target that is not UTF-8 lossily, and
/// such a target could not be made again.
/// </summary>
public static unsafe class SymlinkTarget
{
    private const int Size = 4096;
    private const int EINVAL = 22;

    /// <summary>The target of entry <paramref name="name"/> of the directory <paramref name="dirFd"/> (an empty name: the symlink that fd holds), or null when it is not a symlink or not there.</summary>
    /// <param name="display">The symlink's path, for messages.</param>
    public static string? Read(int dirFd, string name, string display)
    {
        byte* buffer = stackalloc byte[Size];
        nint length = LibC.readlinkat(dirFd, name, buffer, Size);
        if (length < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno is EINVAL or LibC.ENOENT or LibC.ENOTDIR
                ? null
                : throw new PathRefusedException($"symlink {PathWalk.Shown(display)} cannot be read ({Marshal.GetPInvokeErrorMessage(errno)})", errno);
        }

        return length < Size
            ? OsText.Decode(new ReadOnlySpan<byte>(buffer, (int)length))
            : throw new PathRefusedException($"symlink {PathWalk.Shown(display)} cannot be read (its target is longer than {Size - 1} bytes)", LibC.ELOOP);
    }

    /// <summary>The target of the symlink at <paramref name="path"/>, or null when it is not a symlink or not there.</summary>
    public static string? Read(string path) => Read(LibC.AT_FDCWD, path, path);
}
