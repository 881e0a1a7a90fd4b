using Lockstep.Processes;
using Microsoft.Win32.SafeHandles;

namespace Lockstep.Files;

/// <summary>
/// The <c>#!</c> line of a file that is to be run, read through the descriptor a walk checked (never
/// by name), as the kernel reads it: the first 256 bytes, the interpreter being the first word after
/// <c>#!</c> (README, "Which paths Lockstep trusts").
/// </summary>
internal static class Shebang
{
    /// <summary>The kernel looks at no more of a <c>#!</c> line than this (BINPRM_BUF_SIZE).</summary>
    private const int KernelLimit = 256;

    /// <summary>Whether the file starts with <c>#!</c>; false when it cannot be read (an execute-only binary).</summary>
    public static bool IsScript(SafeFileHandle file) => Head(file, 2) is [(byte)'#', (byte)'!'];

    /// <summary>The interpreter a <c>#!</c> line names, or null when the file is no script (or names none: the kernel refuses it then).</summary>
    public static string? Interpreter(SafeFileHandle file)
    {
        var head = Head(file, KernelLimit);
        if (head is not [(byte)'#', (byte)'!', ..])
        {
            return null;
        }

        var line = head.AsSpan(2);
        int end = line.IndexOf((byte)'\n');
        line = (end >= 0 ? line[..end] : line).TrimStart(" \t"u8);
        int word = line.IndexOfAny(" \t\0"u8);
        return (word >= 0 ? line[..word] : line) is { Length: > 0 } name ? OsText.Decode(name) : null; // the kernel takes the interpreter's path as bytes
    }

    /// <summary>Up to <paramref name="count"/> bytes from the start of the file open on <paramref name="file"/> (an <c>O_PATH</c> descriptor is reopened for reading through /proc); empty when unreadable.</summary>
    private static byte[] Head(SafeFileHandle file, int count)
    {
        // Non-blocking and without a controlling terminal: the descriptor is of a regular file checked by a walk, and stays so.
        int fd = LibC.open($"/proc/self/fd/{file.DangerousGetHandle()}", LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_NOCTTY | LibC.O_CLOEXEC, 0);
        if (fd < 0)
        {
            return [];
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        var buffer = new byte[count];
        int read = 0;
        try
        {
            while (read < count && RandomAccess.Read(handle, buffer.AsSpan(read), read) is var n and > 0)
            {
                read += n;
            }
        }
        catch (IOException)
        {
            // A directory or an unreadable file: no #! line.
        }

        return buffer[..read];
    }
}
