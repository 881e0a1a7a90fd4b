using Lockstep.Logging;

namespace Lockstep.State;

/// <summary>
/// One state command at a time, by an flock on the registry's directory. Holding it is also what
/// lets a run treat every temporary entry it finds as a killed run's leftover.
/// </summary>
internal sealed class StateLock : IDisposable
{
    private readonly int _fd;

    private StateLock(int fd) => _fd = fd;

    public static StateLock Acquire(string directory, ILog log)
    {
        try
        {
            int fd = PosixFs.LockDirectory(directory, out bool waited);
            if (waited)
            {
                log.Info($"waited for another lockstep state command (lock on {directory})");
            }

            return new StateLock(fd);
        }
        catch (PosixException e)
        {
            throw new StateException($"cannot lock {directory}: {e.Message}");
        }
    }

    public void Dispose() => PosixFs.Unlock(_fd);
}
