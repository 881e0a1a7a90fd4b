using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Lockstep.Files;
using Microsoft.Win32.SafeHandles;

namespace Lockstep.Update;

/// <summary>
/// One <c>lockstep update</c> at a time on a host: an exclusive flock on the <c>lock</c> file, held
/// until the process ends (the kernel drops it even after kill -9). The file holds the pid for
/// messages; it is created 0600 and never deleted.
/// </summary>
internal static class RunLock
{
    /// <summary>Takes the lock at once or throws <see cref="UpdateException"/> (exit 11 when another run holds it).</summary>
    public static FileLock Acquire(string path)
    {
        try
        {
            RuntimeDirectory.EnsureFor(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UpdateException($"run lock {path} ([main] lock): its directory cannot be created ({FileFailure.Message(e)}); fix the path or run as root", UpdateExitCodes.BadInput);
        }

        int errno = FileLock.OpenFile(path, out var handle);
        if (handle is null)
        {
            throw new UpdateException($"run lock {path} ([main] lock) cannot be opened ({Marshal.GetPInvokeErrorMessage(errno)}); fix the path or run as root", UpdateExitCodes.BadInput);
        }

        if (FileLock.TryTake(handle, out _) is not { } held)
        {
            string holder = ReadPid(handle);
            handle.Dispose();
            throw new UpdateException(
                $"another lockstep update is running ({holder}holds {path}); this run did nothing. Wait for it to finish", UpdateExitCodes.AlreadyRunning);
        }

        byte[] pid = Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n");
        RandomAccess.SetLength(held.Handle, 0);
        RandomAccess.Write(held.Handle, pid, 0);
        return held;
    }

    private static string ReadPid(SafeFileHandle handle)
    {
        var buffer = new byte[32];
        int read = RandomAccess.Read(handle, buffer, 0);
        string text = Encoding.ASCII.GetString(buffer, 0, read).Trim();
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? $"pid {pid} " : "";
    }
}
