using System.Runtime.InteropServices;

namespace Lockstep.Processes;

/// <summary>Waits for a child to exit without reaping it, on a pidfd so that a timeout needs no polling.</summary>
internal static unsafe class ExitWait
{
    /// <summary>True when the process exited within the limit (it is not reaped).</summary>
    public static bool Within(int pid, TimeSpan limit)
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

                if (rc == 0)
                {
                    return false;
                }

                if (Marshal.GetLastPInvokeError() != LibC.EINTR)
                {
                    // poll itself failed: watch the rest of the time without the pidfd.
                    return PollWithoutPidfd(pid, TimeSpan.FromMilliseconds(left));
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
        // Kernels before 5.3 have no pidfd: look at /proc every 10 ms, never reaping (the runner reaps).
        long deadline = Environment.TickCount64 + (long)limit.TotalMilliseconds;
        while (Environment.TickCount64 < deadline)
        {
            if (ProcessTable.TryRead(pid) is not { HasEnded: false })
            {
                return true;
            }

            Thread.Sleep(10);
        }

        return false;
    }
}
