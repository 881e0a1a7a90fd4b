using System.Runtime.InteropServices;
using System.Text;

namespace Lockstep.Processes;

/// <summary>
/// Runs a process with posix_spawn in a new process group, so that a timeout or a forwarded signal
/// reaches the script and everything it started, and waits on a pidfd so a timeout needs no polling.
/// </summary>
public sealed unsafe class ProcessRunner : IProcessRunner
{
    public static readonly ProcessRunner Instance = new();

    public ProcessOutcome Run(ProcessSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int errno = Spawn(spec, out int pid);
        if (errno != 0)
        {
            // ENOENT for a file that exists means its #! interpreter is missing.
            return errno == LibC.ENOENT && File.Exists(spec.Path)
                ? new ProcessOutcome(ProcessEnd.InterpreterMissing, errno)
                : new ProcessOutcome(ProcessEnd.SpawnFailed, errno);
        }

        SignalForwarder.Enter(pid);
        try
        {
            bool timedOut = spec.Timeout is { } timeout && !WaitExit(pid, timeout);
            if (timedOut)
            {
                _ = LibC.kill(-pid, LibC.SIGTERM);
                if (!WaitExit(pid, spec.KillGrace ?? ProcessSpec.DefaultKillGrace))
                {
                    _ = LibC.kill(-pid, LibC.SIGKILL);
                }
                else
                {
                    // The leader is gone; whatever of its group ignored TERM goes now.
                    _ = LibC.kill(-pid, LibC.SIGKILL);
                }
            }

            int status = Reap(pid);
            if (timedOut)
            {
                return new ProcessOutcome(ProcessEnd.TimedOut, LibC.WIfExited(status) ? LibC.SIGTERM : LibC.WTermSig(status));
            }

            return LibC.WIfExited(status)
                ? new ProcessOutcome(ProcessEnd.Exited, LibC.WExitStatus(status))
                : new ProcessOutcome(ProcessEnd.Signaled, LibC.WTermSig(status));
        }
        finally
        {
            SignalForwarder.Leave();
        }
    }

    private static int Spawn(ProcessSpec spec, out int pid)
    {
        int argc = spec.Arguments.Count + 1;
        var strings = new byte[argc][];
        strings[0] = ToCString(spec.Path);
        for (int i = 1; i < argc; i++)
        {
            strings[i] = ToCString(spec.Arguments[i - 1]);
        }

        // posix_spawnattr_t and posix_spawn_file_actions_t are opaque; glibc's are 336 and 80 bytes.
        byte* attr = stackalloc byte[1024];
        byte* actions = stackalloc byte[512];
        byte* emptySet = stackalloc byte[256];
        byte* fullSet = stackalloc byte[256];
        var handles = new GCHandle[argc];
        byte** argv = stackalloc byte*[argc + 1];
        try
        {
            for (int i = 0; i < argc; i++)
            {
                handles[i] = GCHandle.Alloc(strings[i], GCHandleType.Pinned);
                argv[i] = (byte*)handles[i].AddrOfPinnedObject();
            }

            argv[argc] = null;
            _ = LibC.posix_spawnattr_init(attr);
            _ = LibC.sigemptyset(emptySet);
            _ = LibC.sigfillset(fullSet);
            // sigfillset leaves out glibc's internal signals 32 and 33, which the runtime ignores; set their bits too.
            *(ulong*)fullSet |= 0x1_8000_0000UL;
            // The runtime ignores SIGPIPE and blocks some signals; a script must start with the defaults.
            _ = LibC.posix_spawnattr_setsigmask(attr, emptySet);
            _ = LibC.posix_spawnattr_setsigdefault(attr, fullSet);
            _ = LibC.posix_spawnattr_setpgroup(attr, 0);
            _ = LibC.posix_spawnattr_setflags(attr, LibC.POSIX_SPAWN_SETPGROUP | LibC.POSIX_SPAWN_SETSIGDEF | LibC.POSIX_SPAWN_SETSIGMASK);
            void* fileActions = null;
            if (spec.Fd3 is { } fd3)
            {
                _ = LibC.posix_spawn_file_actions_init(actions);
                _ = LibC.posix_spawn_file_actions_adddup2(actions, fd3, 3);
                fileActions = actions;
            }

            int rc = LibC.posix_spawn(out pid, argv[0], fileActions, attr, argv, spec.Environment.NativeEnvp);
            if (fileActions != null)
            {
                _ = LibC.posix_spawn_file_actions_destroy(actions);
            }

            _ = LibC.posix_spawnattr_destroy(attr);
            GC.KeepAlive(spec.Environment);
            return rc;
        }
        finally
        {
            foreach (var handle in handles)
            {
                if (handle.IsAllocated)
                {
                    handle.Free();
                }
            }
        }
    }

    private static byte[] ToCString(string value)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return bytes;
    }

    /// <summary>True when the process exited within the limit (it is not reaped).</summary>
    private static bool WaitExit(int pid, TimeSpan limit)
    {
        int pidfd = LibC.SysPidfdOpen(pid);
        if (pidfd < 0)
        {
            return PollWithoutPidfd(pid, limit);
        }

        try
        {
            long deadline = Environment.TickCount64 + (long)limit.TotalMilliseconds;
            while (true)
            {
                long left = Math.Max(0, deadline - Environment.TickCount64);
                var fd = new LibC.PollFd { Fd = pidfd, Events = LibC.POLLIN };
                int rc = LibC.poll(&fd, 1, (int)Math.Min(left, int.MaxValue));
                if (rc > 0)
                {
                    return true;
                }

                if (rc == 0 || (rc < 0 && Marshal.GetLastPInvokeError() != LibC.EINTR))
                {
                    return left > 0 && rc < 0 ? PollWithoutPidfd(pid, TimeSpan.FromMilliseconds(left)) : false;
                }
            }
        }
        finally
        {
            _ = LibC.close(pidfd);
        }
    }

    private static bool PollWithoutPidfd(int pid, TimeSpan limit)
    {
        // Kernels before 5.3 have no pidfd: look every 10 ms without reaping (WNOWAIT|WEXITED via waitid is not exposed).
        long deadline = Environment.TickCount64 + (long)limit.TotalMilliseconds;
        while (Environment.TickCount64 < deadline)
        {
            if (File.Exists($"/proc/{pid}/stat") && IsZombie(pid))
            {
                return true;
            }

            Thread.Sleep(10);
        }

        return false;
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            int close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] == 'Z';
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static int Reap(int pid)
    {
        while (true)
        {
            if (LibC.waitpid(pid, out int status, 0) == pid)
            {
                return status;
            }

            if (Marshal.GetLastPInvokeError() != LibC.EINTR)
            {
                throw new InvalidOperationException($"waitpid({pid}) failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
    }
}
