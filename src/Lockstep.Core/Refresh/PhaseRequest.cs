using Lockstep.History;
using Lockstep.Parts;
using Lockstep.Processes;

namespace Lockstep.Refresh;

/// <summary>How each phase directory (and error.d) is handed to the run-parts engine.</summary>
internal static class PhaseRequest
{
    public static PartsRequest For(string dir, ProcessEnvironment environment, RefreshOptions options, Func<TimeSpan?> timeLeft, RunJournal journal) =>
        new(dir, environment)
        {
            NameFilter = options.NameFilter,
            ScriptTimeout = options.ScriptTimeout,
            KillGrace = options.KillGrace,
            TimeLeft = timeLeft,
            OnStarting = journal.ScriptStarted,
            OnFinished = journal.ScriptFinished,
        };

    /// <summary>Time left until <paramref name="limit"/> from now; always null without a limit.</summary>
    public static Func<TimeSpan?> Countdown(TimeSpan? limit, TimeProvider clock)
    {
        if (limit is not { } bound)
        {
            return static () => null;
        }

        long start = clock.GetTimestamp();
        return () => bound - clock.GetElapsedTime(start);
    }
}
