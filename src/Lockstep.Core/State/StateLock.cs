using Lockstep.Files;
using Lockstep.Logging;
using Lockstep.Processes;

namespace Lockstep.State;

/// <summary>
/// One state command at a time, by a <see cref="FileLock"/> on a lock file of root's (0600) in the
/// registry's directory. Not on that directory itself: it is 0755, and anyone who can open a file
/// can flock it, so any local user could have held up every state command (a boot-time restore).
/// Holding it is also what lets a run treat every temporary entry it finds as a killed run's leftover.
/// </summary>
internal static class StateLock
{
    /// <summary>The lock file's name in the registry's directory.</summary>
    public const string FileName = ".lockstep.lock";

    public static FileLock Acquire(string directory, ILog log)
    {
        string path = Path.Combine(directory, FileName);
        try
        {
            var handle = RuntimeFile.Open(path, "state lock file", LibC.O_RDWR, createDirectories: false);
            try
            {
                if (FileLock.TryTake(handle, out _) is { } taken)
                {
                    return taken;
                }

                log.Info($"waiting for another lockstep state command (lock on {path})");
                return FileLock.Take(handle, path);
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }
        catch (IOException e) // PathRefusedException too
        {
            throw new StateException($"{e.Message}; check the registry's directory");
        }
    }
}
