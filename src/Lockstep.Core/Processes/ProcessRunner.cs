using System.Runtime.InteropServices;

namespace Lockstep.Processes;

/// <summary>
/// Runs a process with posix_spawn in a new process group, so that a forwarded signal reaches the
/// script and the children that stayed in its group, and waits on a pidfd so a timeout needs no
/// polling. A timeout ends the script's whole tree (<see cref="TimeoutKill"/>).
/// </summary>
public sealed unsafe partial class ProcessRunner : IProcessRunner
{
    public static readonly ProcessRunner Instance = new();

    public ProcessOutcome Run(ProcessSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int errno = ProcessTree.Spawn((out int child) => Spawn(spec, out child), out int pid);
        if (errno != 0)
        {
            // ENOENT for a file that exists means its #! interpreter is missing.
            return errno == LibC.ENOENT && FileStat.TryStat(spec.Path, out var stat) == 0 && stat.IsRegularFile
                ? new ProcessOutcome(ProcessEnd.InterpreterMissing, errno)
                : new ProcessOutcome(ProcessEnd.SpawnFailed, errno);
        }

        SignalForwarder.Enter(pid);
        try
        {
            spec.Started?.Invoke(pid);
            bool timedOut = spec.Timeout is { } timeout && !ExitWait.Within(pid, timeout);
            if (timedOut)
            {
                TimeoutKill.Run(pid, spec.KillGrace ?? ProcessSpec.DefaultKillGrace, spec.TimeoutEndsRun);
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
            ProcessTree.ReapOrphans();
        }
    }

    private static int Spawn(ProcessSpec spec, out int pid)
    {
        int argc = spec.Arguments.Count + 1;
        var strings = new byte[argc + 1][];
        strings[0] = ToCString(spec.Path);
        strings[argc] = ToCString(ExecutablePath(spec));
        for (int i = 1; i < argc; i++)
        {
            strings[i] = ToCString(spec.Arguments[i - 1]);
        }

        // posix_spawnattr_t and posix_spawn_file_actions_t are opaque; glibc's are 336 and 80 bytes.
        byte* attr = stackalloc byte[1024];
        byte* actions = stackalloc byte[512];
        byte* emptySet = stackalloc byte[256];
        byte* fullSet = stackalloc byte[256];
        var handles = new GCHandle[argc + 1];
        byte** argv = stackalloc byte*[argc + 1];
        try
        {
            for (int i = 0; i < argc; i++)
            {
                handles[i] = GCHandle.Alloc(strings[i], GCHandleType.Pinned);
                argv[i] = (byte*)handles[i].AddrOfPinnedObject();
            }

            argv[argc] = null;
            handles[argc] = GCHandle.Alloc(strings[argc], GCHandleType.Pinned);
            byte* executable = (byte*)handles[argc].AddrOfPinnedObject();
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

            int rc = LibC.posix_spawn(out pid, executable, fileActions, attr, argv, spec.Environment.NativeEnvp);
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

    /// <summary>
    /// What exec opens: a checked binary through its descriptor (<c>/proc/self/fd/N</c> resolves to
    /// the open file, not to a name). A <c>#!</c> script is exec'd by its path, since its interpreter
    /// gets the path as <c>$0</c> and scripts use <c>$(dirname $0)</c>; the walk that checked it
    /// (every directory and symlink on the way root's or the caller's, its #! interpreter's too:
    /// <see cref="Files.Trust.OpenExecutable"/>) is what keeps that path from being swapped.
    /// </summary>
    private static string ExecutablePath(ProcessSpec spec)
    {
        if (spec.Executable is not { } handle)
        {
            return spec.Path;
        }

        // Not readable (an execute-only binary) counts as no script: only a binary can run without being read.
        return Files.Shebang.IsScript(handle) ? spec.Path : $"/proc/self/fd/{handle.DangerousGetHandle()}";
    }

    /// <summary>The exact bytes of a path or argument (<see cref="OsText"/>), NUL terminated.</summary>
    private static byte[] ToCString(string value) => OsText.EncodeTerminated(value);

    private static int Reap(int pid)
    {
        while (true)
        {
            if (LibC.waitpid(pid, out int status, 0) == pid)
            {
                ProcessTree.Reaped(pid);
                return status;
            }

            if (Marshal.GetLastPInvokeError() != LibC.EINTR)
            {
                throw new InvalidOperationException($"waitpid({pid}) failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
    }
}
