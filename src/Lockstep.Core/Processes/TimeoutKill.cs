using System.Runtime.InteropServices;

namespace Lockstep.Processes;

/// <summary>
/// Ends a script whose time is up, with everything it started: TERM to its process group and to
/// every member of its tree (<see cref="ScriptTree"/>, which reaches the processes that left the
/// group: <c>setsid</c>, <c>timeout</c>, double forks), up to the grace for them to go, then KILL,
/// looking again until nothing of the tree runs. The /proc walks happen only here.
/// </summary>
internal static class TimeoutKill
{
    /// <summary>KILL rounds before giving up on a process that does not die (stuck in the kernel, D state).</summary>
    private const int MaxKillRounds = 200;

    /// <summary>Returns once the script has exited; it is not reaped, so its pid and group cannot be reused meanwhile.</summary>
    /// <param name="wholeRun">The run's deadline passed: every process the run started goes, also daemons earlier scripts left.</param>
    public static void Run(int pid, TimeSpan grace, bool wholeRun = false)
    {
        var script = ProcessTable.TryRead(pid);
        End(() => Members(script, wholeRun), grace, pid);
    }

    /// <summary>
    /// TERM to every process <paramref name="members"/> names (and to <paramref name="group"/> when
    /// given), up to <paramref name="grace"/> for them to go, then KILL, asking again until none is left.
    /// </summary>
    /// <param name="members">Looks at /proc for what is still to end; called again each round, so what was started meanwhile goes too.</param>
    /// <param name="group">A process group to signal as a whole, led by a child of ours that is not reaped; null signals the members one by one only.</param>
    internal static void End(Func<List<ProcEntry>> members, TimeSpan grace, int? group = null)
    {
        long deadline = Environment.TickCount64 + (long)grace.TotalMilliseconds;
        var current = members();
        if (group is { } leader)
        {
            _ = LibC.kill(-leader, LibC.SIGTERM);
        }

        current.ForEach(member => Signal(member, LibC.SIGTERM));
        if (group is not { } script || ExitWait.Within(script, grace))
        {
            // The script went; the rest of its tree gets what is left of the grace.
            while (Environment.TickCount64 < deadline && current.Exists(ProcessTable.IsRunning))
            {
                Thread.Sleep(20);
            }
        }

        for (int round = 0; round < MaxKillRounds; round++)
        {
            if (group is { } killed)
            {
                _ = LibC.kill(-killed, LibC.SIGKILL);
            }

            current = members();
            if (current.Count == 0)
            {
                break;
            }

            current.ForEach(member => Signal(member, LibC.SIGKILL));
            Thread.Sleep(10);
        }
    }

    private static List<ProcEntry> Members(ProcEntry? script, bool wholeRun) =>
        script is { } known ? ScriptTree.Members(ProcessTable.Read(), Environment.ProcessId, known, ProcessTree.Adopting, wholeRun) : [];

    /// <summary>Signals through a pidfd after checking the start time, so a pid reused since the walk is never hit.</summary>
    private static void Signal(ProcEntry process, int signal)
    {
        int pidfd = LibC.SysPidfdOpen(process.Pid);
        if (pidfd < 0)
        {
            if (Marshal.GetLastPInvokeError() == LibC.ENOSYS)
            {
                _ = LibC.kill(process.Pid, signal);
            }

            return;
        }

        try
        {
            if (ProcessTable.IsRunning(process))
            {
                _ = LibC.SysPidfdSendSignal(pidfd, signal);
            }
        }
        finally
        {
            _ = LibC.close(pidfd);
        }
    }
}
