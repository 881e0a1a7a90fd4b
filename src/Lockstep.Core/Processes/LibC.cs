using System.Runtime.InteropServices;

namespace Lockstep.Processes;

/// <summary>The few libc calls .NET does not expose: process groups, pidfd waiting, exact stat.</summary>
internal static unsafe partial class LibC
{
    private const string Lib = "libc";

    public const int EINTR = 4;
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EACCES = 13;
    public const int ENOEXEC = 8;
    public const int EAGAIN = 11;
    public const int EWOULDBLOCK = 11;
    public const int ELOOP = 40;
    public const int ENOTDIR = 20;
    public const int EPERM = 1;
    public const int EISDIR = 21;
    public const int EROFS = 30;
    public const int ENOSYS = 38;

    public const int X_OK = 1;
    public const int W_OK = 2;
    public const int R_OK = 4;

    public const short POSIX_SPAWN_SETPGROUP = 0x02;
    public const short POSIX_SPAWN_SETSIGDEF = 0x04;
    public const short POSIX_SPAWN_SETSIGMASK = 0x08;

    public const int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGKILL = 9, SIGTERM = 15;

    public const short POLLIN = 1;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int posix_spawn(out int pid, byte* path, void* fileActions, void* attr, byte** argv, byte** envp);

    [LibraryImport(Lib)] public static partial int posix_spawnattr_init(void* attr);
    [LibraryImport(Lib)] public static partial int posix_spawnattr_destroy(void* attr);
    [LibraryImport(Lib)] public static partial int posix_spawnattr_setflags(void* attr, short flags);
    [LibraryImport(Lib)] public static partial int posix_spawnattr_setpgroup(void* attr, int pgroup);
    [LibraryImport(Lib)] public static partial int posix_spawnattr_setsigmask(void* attr, void* sigset);
    [LibraryImport(Lib)] public static partial int posix_spawnattr_setsigdefault(void* attr, void* sigset);
    [LibraryImport(Lib)] public static partial int posix_spawn_file_actions_init(void* actions);
    [LibraryImport(Lib)] public static partial int posix_spawn_file_actions_destroy(void* actions);
    [LibraryImport(Lib)] public static partial int posix_spawn_file_actions_adddup2(void* actions, int fd, int newfd);
    [LibraryImport(Lib)] public static partial int sigemptyset(void* set);
    [LibraryImport(Lib)] public static partial int sigfillset(void* set);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int waitpid(int pid, out int status, int options);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int kill(int pid, int sig);

    public const int WNOHANG = 1;
    public const int WEXITED = 4;
    public const int WNOWAIT = 0x0100_0000;
    public const int P_ALL = 0;

    /// <summary>siginfo_t is 128 bytes on Linux; si_pid is at offset 16 on 64-bit targets.</summary>
    public const int SiginfoSize = 128;
    public const int SiginfoPidOffset = 16;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int waitid(int idType, int id, byte* info, int options);

    public const int SIGCHLD = 17;
    public const nint SIG_DFL = 0;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint signal(int signal, nint handler);

    public const int PR_SET_CHILD_SUBREAPER = 36;

    // prctl is variadic; passing the unused arguments as zeros is how every caller does it.
    [LibraryImport(Lib, SetLastError = true)]
    public static partial int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial long syscall(long number, long a1, long a2);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int poll(PollFd* fds, ulong nfds, int timeout);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(OsTextMarshaller))]
    public static partial int access(string path, int mode);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(OsTextMarshaller))]
    public static partial int stat(string path, byte* buffer);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(OsTextMarshaller))]
    public static partial int lstat(string path, byte* buffer);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(OsTextMarshaller))]
    public static partial int fstatat(int dirFd, string path, byte* buffer, int flags);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(OsTextMarshaller))]
    public static partial int open(string path, int flags, int mode);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int fsync(int fd);

    public const int O_RDONLY = 0;
    public const int O_RDWR = 2;
    public const int O_CREAT = 0x40;
    // O_DIRECTORY differs between x86-64 and the generic layout (aarch64), where 0x10000 is O_DIRECT.
    public static readonly int O_DIRECTORY = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x4000 : 0x10000;
    public const int O_CLOEXEC = 0x80000;
    public const int O_WRONLY = 1;
    public const int O_EXCL = 0x80;
    public const int O_NOCTTY = 0x100;
    public const int O_APPEND = 0x400;
    public const int O_NONBLOCK = 0x800;
    public const int O_PATH = 0x200000;
    public static readonly int O_NOFOLLOW = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x8000 : 0x20000;
    public const int EEXIST = 17;

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(OsTextMarshaller))]
    public static partial nint readlinkat(int dirFd, string path, byte* buffer, nint size);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(OsTextMarshaller))]
    public static partial int renameat(int fromDirFd, string from, int toDirFd, string to);

    public const int LOCK_EX = 2;
    public const int LOCK_NB = 4;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int flock(int fd, int operation);

    [LibraryImport(Lib)]
    public static partial uint geteuid();

    [LibraryImport(Lib)]
    public static partial int getpid();

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    public static int SysPidfdOpen(int pid) => (int)syscall(434, pid, 0);

    [LibraryImport(Lib, SetLastError = true)]
    private static partial long syscall(long number, long a1, long a2, long a3, long a4);

    public static int SysPidfdSendSignal(int pidfd, int signal) => (int)syscall(424, pidfd, signal, 0, 0);

    // memfd_create is 319 on x86-64 and 279 in the generic table (aarch64); pidfd_open is 434 on both.
    public static int MemfdCreate(byte* name) =>
        (int)syscall(RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 279 : 319, (long)name, 1 /* MFD_CLOEXEC */);

    public static bool WIfExited(int status) => (status & 0x7f) == 0;
    public static int WExitStatus(int status) => (status >> 8) & 0xff;
    public static int WTermSig(int status) => status & 0x7f;
}
