using System.Runtime.InteropServices;

namespace Lockstep.Processes;

/// <summary>
/// Keeps what scripts start findable. A process whose parent dies is normally reparented to init,
/// out of reach of a timeout; once Lockstep is a child subreaper it is reparented to Lockstep
/// instead, so a timeout can find and kill it. Lockstep then also reaps those adopted orphans.
/// When Lockstep exits, whatever it adopted and left running (a daemon a script started on purpose)
/// goes on to init as before.
/// </summary>
public static unsafe class ProcessTree
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<int> Running = [];
    private static int _adopting;

    /// <summary>True once <see cref="BecomeSubreaper"/> succeeded: orphans of scripts become Lockstep's children.</summary>
    public static bool Adopting => Volatile.Read(ref _adopting) != 0;

    /// <summary>
    /// Makes this process a child subreaper (prctl PR_SET_CHILD_SUBREAPER) and the only reaper of its
    /// children. For the commands that run scripts, once, before the first; a host process that
    /// starts children of its own (a test host) must not call it, since timeouts would then count
    /// those children as orphans of scripts.
    /// </summary>
    public static bool BecomeSubreaper()
    {
        lock (Gate)
        {
            if (_adopting == 0)
            {
                // SIGCHLD inherited as ignored makes the .NET runtime reap every child itself, racing
                // the runner's wait for its script (whose status would be lost). Nothing here needs
                // the runtime's SIGCHLD handling: Lockstep starts no System.Diagnostics.Process.
                _ = LibC.signal(LibC.SIGCHLD, LibC.SIG_DFL);
                if (LibC.prctl(LibC.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0)
                {
                    Volatile.Write(ref _adopting, 1);
                }
            }

            return _adopting != 0;
        }
    }

    internal delegate int Spawner(out int pid);

    /// <summary>Spawns under the gate, so that <see cref="ReapOrphans"/> never takes a child whose runner is about to wait for it.</summary>
    /// <returns>The spawn's errno; 0 when the child runs.</returns>
    internal static int Spawn(Spawner spawn, out int pid)
    {
        lock (Gate)
        {
            int errno = spawn(out pid);
            if (errno == 0)
            {
                Running.Add(pid);
            }

            return errno;
        }
    }

    /// <summary>The runner reaped its child: from now on that pid is nobody's.</summary>
    internal static void Reaped(int pid)
    {
        lock (Gate)
        {
            Running.Remove(pid);
        }
    }

    /// <summary>
    /// Reaps adopted orphans that have exited, so none stays a zombie. Non-blocking: one waitid call
    /// when there is nothing to reap. A child a runner is waiting for is left to that runner.
    /// </summary>
    public static void ReapOrphans()
    {
        if (!Adopting)
        {
            return;
        }

        byte* info = stackalloc byte[LibC.SiginfoSize];
        lock (Gate)
        {
            while (true)
            {
                new Span<byte>(info, LibC.SiginfoSize).Clear();
                // WNOWAIT: look first; reap only a pid that is not a runner's.
                if (LibC.waitid(LibC.P_ALL, 0, info, LibC.WEXITED | LibC.WNOHANG | LibC.WNOWAIT) != 0)
                {
                    return;
                }

                int pid = *(int*)(info + LibC.SiginfoPidOffset);
                if (pid <= 0 || Running.Contains(pid))
                {
                    return;
                }

                if (LibC.waitpid(pid, out _, LibC.WNOHANG) < 0 && Marshal.GetLastPInvokeError() != LibC.EINTR)
                {
                    return;
                }
            }
        }
    }
}
