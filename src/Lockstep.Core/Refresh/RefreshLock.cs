using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Lockstep.Files;
using Lockstep.Logging;
using Lockstep.Processes;
using Microsoft.Win32.SafeHandles;

namespace Lockstep.Refresh;

/// <summary>
/// One refresh at a time: an exclusive flock on the lockfile, as os-refresh-config takes it, so the
/// two exclude each other. The file is created if missing and never deleted (deleting it would let
/// a second run lock a new file while the first still holds the old one). Like os-refresh-config,
/// the holder writes "Locked by pid==N at TIME" into it, so a refused run can say who holds it.
/// </summary>
internal sealed class RefreshLock : IDisposable
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(100);

    private readonly FileLock _held;

    private RefreshLock(FileLock held) => _held = held;

    /// <summary>Takes the lock, waiting up to <paramref name="wait"/>; throws <see cref="RefreshException"/> (11 when held, 1 when the file is unusable).</summary>
    public static RefreshLock Acquire(string path, TimeSpan wait, TimeProvider clock, StopSignal stop, ILog log)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(log);
        // Write access, as os-refresh-config's open(path, 'a'): a user who cannot write the file cannot block root's runs.
        // Never through a symlink someone else planted, never a FIFO or device (RuntimeFile).
        SafeFileHandle handle;
        try
        {
            handle = RuntimeFile.Open(path, "lockfile", LibC.O_RDWR, createDirectories: false);
        }
        catch (PathRefusedException e)
        {
            throw new RefreshException(e.Errno == 0 ? e.Message : DescribeOpenFailure(path, e.Errno, e.Message), RefreshExitCodes.Failed);
        }

        try
        {
            var held = WaitForLock(handle, path, wait, clock, stop, log);
            RandomAccess.SetLength(handle, 0);
            string holder = string.Create(CultureInfo.InvariantCulture, $"Locked by pid=={Environment.ProcessId} at {clock.GetLocalNow():yyyy-MM-dd HH:mm:ss zzz}\n");
            RandomAccess.Write(handle, Encoding.UTF8.GetBytes(holder), 0);
            log.Debug($"locked {path}");
            return new RefreshLock(held);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Empties the file (as os-refresh-config does) and closes it, which releases the lock.</summary>
    public void Dispose()
    {
        try
        {
            RandomAccess.SetLength(_held.Handle, 0);
        }
        catch (IOException)
        {
            // The lock goes with the descriptor either way.
        }

        _held.Dispose();
    }

    private static FileLock WaitForLock(SafeFileHandle handle, string path, TimeSpan wait, TimeProvider clock, StopSignal stop, ILog log)
    {
        long start = clock.GetTimestamp();
        bool announced = false;
        FileLock? held;
        while ((held = FileLock.TryTake(handle, out int errno)) is null)
        {
            if (errno != LibC.EWOULDBLOCK && errno != LibC.EINTR)
            {
                throw new RefreshException($"cannot lock {path} (flock errno {errno}); give --lockfile PATH on a local file system", RefreshExitCodes.Failed);
            }

            var waited = clock.GetElapsedTime(start);
            if (waited >= wait)
            {
                string after = wait > TimeSpan.Zero ? $" after waiting {wait.TotalSeconds:0.###} s" : "";
                string hint = wait > TimeSpan.Zero ? "try again later" : "try again later or give --wait-lock SECONDS";
                throw new RefreshException($"lockfile {path} is held by another refresh run{Holder(handle)}{after}; {hint}", RefreshExitCodes.LockHeld);
            }

            if (stop.Received is var signal and > 0)
            {
                throw new RefreshException($"received signal {signal} while waiting for {path}; nothing was run", 128 + signal);
            }

            if (!announced)
            {
                announced = true;
                log.Info($"waiting up to {wait.TotalSeconds:0.###} s for lockfile {path}, held by another run{Holder(handle)}");
            }

            var pause = wait - waited < RetryInterval ? wait - waited : RetryInterval;
            Task.Delay(pause, clock).Wait();
        }

        return held;
    }

    /// <summary>The holder's own line, " (Locked by pid==N at …)", or nothing when the file says nothing useful.</summary>
    private static string Holder(SafeFileHandle handle)
    {
        // From the file opened and checked, never reopened by name; pread takes no flock (a FileStream would).
        var buffer = new byte[200];
        int read = RandomAccess.Read(handle, buffer, 0);
        string line = Encoding.UTF8.GetString(buffer, 0, Math.Max(0, read)).Split('\n')[0].Trim();
        return line.Length > 0 ? $" ({Printable.Escape(line, 200)})" : "";
    }

    private static string DescribeOpenFailure(string path, int errno, string message)
    {
        string dir = Path.GetDirectoryName(Files.PathWalk.FullPath(path)) ?? "/";
        bool needsRoot = path == RefreshOptions.DefaultLockFile && FileStat.EffectiveUid != 0;
        return errno switch
        {
            LibC.ENOENT => $"lockfile {path} cannot be created: directory {dir} does not exist; create it or give --lockfile PATH",
            LibC.EACCES or LibC.EPERM when needsRoot =>
                $"lockfile {path} cannot be opened for writing (permission denied): the default lockfile needs root; run as root or give --lockfile PATH",
            LibC.EACCES or LibC.EPERM => $"lockfile {path} cannot be opened for writing (permission denied); give --lockfile PATH in a directory you can write",
            LibC.EROFS => $"lockfile {path} is on a read-only file system; give --lockfile PATH on a writable one",
            LibC.EISDIR => $"{message}; give --lockfile the path of a file",
            LibC.ENOTDIR => $"lockfile {path} cannot be created: a part of its directory is not a directory; give --lockfile PATH",
            _ => $"{message}; give --lockfile PATH",
        };
    }
}
