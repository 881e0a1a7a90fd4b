using System.Runtime.InteropServices;

namespace Lockstep.State;

/// <summary>A failed system call on a path, worded like the shell tools do: "mkdir /mnt/state/var: Read-only file system".</summary>
internal sealed class PosixException(int errno, string call, string path)
    : IOException($"{call} {path}: {Marshal.GetPInvokeErrorMessage(errno)}")
{
    public int Errno { get; } = errno;
}
