using Lockstep.Files;
using Lockstep.Logging;

namespace Lockstep.State;

/// <summary>
/// One state command at a time, by a <see cref="FileLock"/> on the registry's directory. Holding it
/// is also what lets a run treat every temporary entry it finds as a killed run's leftover.
/// </summary>
internal static class StateLock
{
    public static FileLock Acquire(string directory, ILog log)
    {
        try
        {
            var held = FileLock.Directory(directory, out bool waited);
            if (waited)
            {
                log.Info($"waited for another lockstep state command (lock on {directory})");
            }

            return held;
        }
        catch (IOException e)
        {
            throw new StateException($"{e.Message}; check the registry's directory");
        }
    }
}
