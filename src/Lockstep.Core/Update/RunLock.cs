using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Lockstep.Files;
using Lockstep.Processes;
using Microsoft.Win32.SafeHandles;

namespace Lockstep.Update;

/// <summary>
/// One <c>lockstep update</c> at a time on a host: an exclusive flock on the <c>lock</c> file, held
/// until the process ends (the kernel drops it even after kill -9). The file holds the pid for
/// messages; it is created 0600 and never deleted.
/// </summary>
internal sealed class RunLock : IDisposable
{
    private readonly SafeFileHandle _handle;

    private RunLock(SafeFileHandle handle) => _handle = handle;

    /// <summary>Takes the lock at once or throws <see cref="UpdateException"/> (exit 11 when another run holds it).</summary>
    public static RunLock Acquire(string path)
    {
        try
        {
            RuntimeDirectory.EnsureFor(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UpdateException($"run lock {path} ([main] lock): its directory cannot be created ({FileFailure.Message(e)}); fix the path or run as root", UpdateExitCodes.BadInput);
        }

        // Opened by hand: .NET would take its own flock on a FileStream, which would fight this one.
        int fd = LibC.open(path, LibC.O_RDWR | LibC.O_CREAT | LibC.O_CLOEXEC, 0b110_000_000);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new UpdateException($"run lock {path} ([main] lock) cannot be opened ({Marshal.GetPInvokeErrorMessage(errno)}); fix the path or run as root", UpdateExitCodes.BadInput);
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (LibC.flock(fd, LibC.LOCK_EX | LibC.LOCK_NB) != 0)
        {
            string holder = ReadPid(handle);
            handle.Dispose();
            throw new UpdateException(
                $"another lockstep update is running ({holder}holds {path}); this run did nothing. Wait for it to finish", UpdateExitCodes.AlreadyRunning);
        }

        byte[] pid = Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n");
        RandomAccess.SetLength(handle, 0);
        RandomAccess.Write(handle, pid, 0);
        return new RunLock(handle);
    }

    public void Dispose() => _handle.Dispose();

    private static string ReadPid(SafeFileHandle handle)
    {
        var buffer = new byte[32];
        int read = RandomAccess.Read(handle, buffer, 0);
        string text = Encoding.ASCII.GetString(buffer, 0, read).Trim();
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? $"pid {pid} " : "";
    }
}
