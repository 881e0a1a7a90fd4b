using Lockstep.Files;
using Lockstep.Logging;

namespace Lockstep.State;

/// <summary>A problem with one stateful path whose message already says what to do.</summary>
internal sealed class PathProblemException(string message) : Exception(message);

/// <summary>Handles paths one by one: a failing path gets one error line and the next path is still handled.</summary>
internal static class EachPath
{
    /// <summary>Returns how many paths failed.</summary>
    public static int Run(IEnumerable<StatefulPath> paths, ILog log, string retry, Action<StatefulPath> handle)
    {
        int failures = 0;
        foreach (var path in paths)
        {
            try
            {
                handle(path);
            }
            catch (PathProblemException e)
            {
                log.Error($"{path.Path}: {e.Message}");
                failures++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log.Error($"{path.Path}: {FileFailure.Message(e)}; fix that and run '{retry}' again");
                failures++;
            }
        }

        return failures;
    }
}
