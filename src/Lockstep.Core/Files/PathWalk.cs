using System.Runtime.InteropServices;
using Lockstep.Logging;
using Lockstep.Processes;
using Microsoft.Win32.SafeHandles;

namespace Lockstep.Files;

/// <summary>How strictly <see cref="PathWalk"/> judges what it passes on the way to a file.</summary>
public enum PathRule
{
    /// <summary>
    /// Code and configuration Lockstep runs or reads (README, "Which paths Lockstep trusts"): every
    /// directory from <c>/</c> to the file and every symlink on the way (symlink targets included)
    /// is owned by root or the caller, and no such directory is writable by group or others unless
    /// it is sticky (<c>/tmp</c>). Then nobody else can swap anything between check and use.
    /// </summary>
    Trusted,

    /// <summary>A file Lockstep writes (lock, state, log, run record): a symlink on the way is followed only when root or the caller owns it.</summary>
    Runtime,
}

/// <summary>A path that cannot be used: a component failed with <see cref="Errno"/>, or (Errno 0) the rule refused one. The message is one line naming it.</summary>
public sealed class PathRefusedException(string message, int errno = 0) : IOException(message)
{
    public int Errno { get; } = errno;
}

/// <summary>
/// Resolves a path the way the kernel would, but one component at a time from <c>/</c> through
/// descriptors opened with <c>O_PATH|O_NOFOLLOW</c>: each symlink is read and judged by its owner
/// before it is followed, each directory is judged by the descriptor that the next step goes
/// through, so what was checked is what is used, whoever renames things meanwhile.
/// </summary>
public static class PathWalk
{
    private const int MaxSymlinks = 40;

    /// <summary>Mode of a directory a walk creates unless told otherwise: 0700.</summary>
    public const uint PrivateDirectory = 0b111_000_000;

    /// <summary>Walks to <paramref name="path"/>; throws <see cref="PathRefusedException"/>. The leaf itself is not judged (the caller knows what it should be); a missing leaf gives a result without <see cref="WalkedPath.Leaf"/>.</summary>
    /// <param name="what">Names the file in messages: "script", "configuration file".</param>
    /// <param name="createDirectories">Create missing directories on the way (for runtime files), mode <paramref name="createMode"/> whatever the umask.</param>
    public static WalkedPath Walk(string path, PathRule rule, string what, bool createDirectories = false, uint createMode = PrivateDirectory)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            throw new PathRefusedException($"{what} path is empty", LibC.ENOENT);
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new PathRefusedException($"{what} path {Shown(path)} contains a NUL byte; give a real path", LibC.ENOENT);
        }

        // getcwd gives the physical working directory, which is walked like the rest.
        string absolute = path[0] == '/' ? path : WorkingDirectory().TrimEnd('/') + "/" + path;
        var pending = new Stack<string>();
        Push(pending, absolute);
        var dir = OpenRoot();
        string dirPath = "/";
        int links = 0;
        string? created = null;
        try
        {
            while (pending.TryPop(out string? name))
            {
                if (name == "..")
                {
                    var up = Open(dir, "..", LibC.O_DIRECTORY, dirPath);
                    dir.Dispose();
                    dir = up;
                    dirPath = Parent(dirPath);
                    continue;
                }

                string here = Join(dirPath, name);
                int fd = LibC.openat(Fd(dir), name, LibC.O_PATH | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
                if (fd < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == LibC.ENOENT && pending.Count == 0)
                    {
                        return new WalkedPath(dir, dirPath, name, null, default);
                    }

                    if (errno == LibC.ENOENT && createDirectories)
                    {
                        if (LibC.mkdirat(Fd(dir), name, createMode) != 0 && Marshal.GetLastPInvokeError() is var mkdirErrno && mkdirErrno != LibC.EEXIST)
                        {
                            throw Failure(what, path, here, mkdirErrno, "cannot be created");
                        }

                        created = here;
                        pending.Push(name);
                        continue;
                    }

                    throw Failure(what, path, here, errno, "cannot be reached");
                }

                var handle = new SafeFileHandle(fd, ownsHandle: true);
                var stat = Stat(handle, here);
                if (stat.IsSymlink)
                {
                    string? target = null;
                    try
                    {
                        if (!Trust.IsOwnedByRootOrCaller(stat))
                        {
                            throw new PathRefusedException(
                                $"{what} {Shown(path)} is reached through symlink {Shown(here)}, which is owned by uid {stat.Uid}, not root or the caller (uid {FileStat.EffectiveUid}): " +
                                "lockstep does not follow a symlink another user could have planted; remove it (or make it as root), or give the real path");
                        }

                        target = ReadLink(handle, here);
                    }
                    finally
                    {
                        handle.Dispose();
                    }

                    if (++links > MaxSymlinks)
                    {
                        throw Failure(what, path, here, LibC.ELOOP, "cannot be reached");
                    }

                    if (target.StartsWith('/'))
                    {
                        dir.Dispose();
                        dir = OpenRoot();
                        dirPath = "/";
                    }

                    Push(pending, target);
                    continue;
                }

                if (pending.Count == 0)
                {
                    return new WalkedPath(dir, dirPath, name, handle, stat);
                }

                if (!stat.IsDirectory)
                {
                    handle.Dispose();
                    throw Failure(what, path, here, LibC.ENOTDIR, "cannot be reached");
                }

                if (rule == PathRule.Trusted && OnTheWay(what, path, here, stat) is { } refusal)
                {
                    handle.Dispose();
                    throw new PathRefusedException(refusal);
                }

                if (created == here && stat.Uid == FileStat.EffectiveUid && (stat.Permissions & 0b111_111_111) != createMode)
                {
                    // mkdir's mode went through the umask: set the one meant, on the very directory made (the descriptor's /proc name).
                    _ = LibC.chmod($"/proc/self/fd/{Fd(handle)}", createMode);
                }

                dir.Dispose();
                dir = handle;
                dirPath = here;
            }

            // The path ends at a directory reached by "/" or "..": it is the leaf, held by its parent.
            var parent = Open(dir, "..", LibC.O_DIRECTORY, dirPath);
            return new WalkedPath(parent, Parent(dirPath), dirPath == "/" ? "." : dirPath[(dirPath.LastIndexOf('/') + 1)..], dir, Stat(dir, dirPath));
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    /// <summary>Null when a directory on the way may be passed under <see cref="PathRule.Trusted"/>, else the refusal.</summary>
    private static string? OnTheWay(string what, string path, string here, in FileStat stat)
    {
        string subject = $"{what} {Shown(path)} is reached through directory {Shown(here)}, which";
        if (!Trust.IsOwnedByRootOrCaller(stat))
        {
            return $"{subject} is owned by uid {stat.Uid}, not root or the caller (uid {FileStat.EffectiveUid}): that user could swap the {what} for their own; " +
                $"chown it, or keep the {what} where only root can change it";
        }

        // In a sticky directory (/tmp) only an entry's owner may rename or remove it, and every entry passed is root's or the caller's.
        if (stat.IsSticky || (!stat.GroupWritable && !stat.OthersWritable))
        {
            return null;
        }

        string who = stat.GroupWritable && stat.OthersWritable ? "group and others" : stat.GroupWritable ? "group" : "others";
        string flag = stat.GroupWritable && stat.OthersWritable ? "go-w" : stat.GroupWritable ? "g-w" : "o-w";
        return $"{subject} is writable by {who} (mode {Convert.ToString(stat.Permissions, 8).PadLeft(4, '0')}): another user could swap the {what} for their own; " +
            $"chmod {flag} '{here}', or keep the {what} where only root can change it";
    }

    /// <summary>
    /// <see cref="Path.GetFullPath(string)"/> against <see cref="WorkingDirectory"/>: .NET's own
    /// resolves a relative path against its lossy view of the working directory.
    /// </summary>
    public static string FullPath(string path) =>
        Path.IsPathRooted(path) ? Path.GetFullPath(path) : Path.GetFullPath(path, WorkingDirectory());

    /// <summary>getcwd(3) with its bytes kept (<see cref="OsText"/>): .NET's <see cref="Environment.CurrentDirectory"/> decodes them lossily.</summary>
    public static unsafe string WorkingDirectory()
    {
        for (int size = 4096; size <= 1 << 20; size *= 4)
        {
            byte[] buffer = new byte[size];
            fixed (byte* start = buffer)
            {
                if (LibC.getcwd(start, (nuint)size) != null)
                {
                    return OsText.Decode(new ReadOnlySpan<byte>(start, Array.IndexOf(buffer, (byte)0)));
                }
            }

            if (Marshal.GetLastPInvokeError() != 34 /* ERANGE */)
            {
                break;
            }
        }

        throw new PathRefusedException($"the working directory cannot be found ({Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}); give an absolute path", LibC.ENOENT);
    }

    /// <summary>A path for a message: control characters and bytes that are not UTF-8 escaped, at most a few hundred characters.</summary>
    public static string Shown(string path) => Printable.Escape(path, 300);

    private static PathRefusedException Failure(string what, string path, string here, int errno, string verb)
    {
        string reason = errno switch
        {
            LibC.ENOENT => "does not exist",
            LibC.ENOTDIR => "is not a directory",
            LibC.ELOOP => "is a symlink loop (more than 40 symlinks)",
            LibC.EACCES => "permission denied",
            _ => Marshal.GetPInvokeErrorMessage(errno),
        };
        string at = here == path ? "" : $": {Shown(here)} {(errno == LibC.ENOENT || errno == LibC.ENOTDIR || errno == LibC.ELOOP ? reason : verb + " (" + reason + ")")}";
        return new PathRefusedException(at.Length == 0 ? $"{what} {Shown(path)} {reason}" : $"{what} {Shown(path)} {verb}{at}", errno);
    }

    private static void Push(Stack<string> pending, string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (int i = parts.Length - 1; i >= 0; i--)
        {
            if (parts[i] != ".")
            {
                pending.Push(parts[i]);
            }
        }
    }

    private static string Join(string dir, string name) => dir == "/" ? "/" + name : dir + "/" + name;

    private static string Parent(string dir) => dir == "/" ? "/" : dir[..dir.LastIndexOf('/')] is { Length: > 0 } p ? p : "/";

    private static int Fd(SafeFileHandle handle) => (int)handle.DangerousGetHandle();

    private static SafeFileHandle OpenRoot()
    {
        int fd = LibC.open("/", LibC.O_PATH | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
        return fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : throw new PathRefusedException($"/ cannot be opened (errno {Marshal.GetLastPInvokeError()})", Marshal.GetLastPInvokeError());
    }

    private static SafeFileHandle Open(SafeFileHandle dir, string name, int flags, string display)
    {
        int fd = LibC.openat(Fd(dir), name, LibC.O_PATH | LibC.O_CLOEXEC | flags, 0);
        return fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true)
            : throw new PathRefusedException($"{Shown(display)}/{name} cannot be opened ({Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())})", Marshal.GetLastPInvokeError());
    }

    internal static FileStat Stat(SafeFileHandle handle, string display)
    {
        int errno = FileStat.TryLstatAt(Fd(handle), "", out var stat);
        return errno == 0 ? stat : throw new PathRefusedException($"{Shown(display)} cannot be examined (errno {errno})", errno);
    }

    private static string ReadLink(SafeFileHandle link, string display) =>
        SymlinkTarget.Read(Fd(link), "", display) ?? throw new PathRefusedException($"symlink {Shown(display)} cannot be read", LibC.ENOENT);
}

/// <summary>Where a <see cref="PathWalk"/> ended: the directory holding the leaf (by descriptor) and the leaf, if it exists.</summary>
public sealed class WalkedPath : IDisposable
{
    internal WalkedPath(SafeFileHandle directory, string directoryPath, string name, SafeFileHandle? leaf, FileStat stat)
    {
        Directory = directory;
        DirectoryPath = directoryPath;
        Name = name;
        Leaf = leaf;
        Stat = stat;
    }

    /// <summary>An <c>O_PATH</c> descriptor of the directory that holds the leaf: the *at calls work in it.</summary>
    public SafeFileHandle Directory { get; }

    /// <summary>The physical path of <see cref="Directory"/> (symlinks resolved), for messages and for children of it.</summary>
    public string DirectoryPath { get; }

    public string Name { get; }

    /// <summary>An <c>O_PATH|O_NOFOLLOW</c> descriptor of the leaf (never a symlink), or null when it does not exist.</summary>
    public SafeFileHandle? Leaf { get; }

    /// <summary>The leaf's stat (default when it does not exist).</summary>
    public FileStat Stat { get; }

    public bool Exists => Leaf is not null;

    /// <summary>The leaf's physical path.</summary>
    public string PhysicalPath => Name == "." ? DirectoryPath : DirectoryPath == "/" ? "/" + Name : $"{DirectoryPath}/{Name}";

    /// <summary>A path that reaches the very leaf that was checked, whatever happens to its name: the kernel resolves it through the descriptor.</summary>
    public string DescriptorPath => $"/proc/self/fd/{(Leaf ?? throw new InvalidOperationException("no leaf")).DangerousGetHandle()}";

    /// <summary>The names in <see cref="Directory"/> starting with <paramref name="prefix"/>, listed through its descriptor.</summary>
    public List<string> NamesInDirectory(string prefix) =>
        [.. DirectoryEntries.Names((int)Directory.DangerousGetHandle(), DirectoryPath).Where(name => name.StartsWith(prefix, StringComparison.Ordinal))];

    /// <summary>unlink(2) of an entry of <see cref="Directory"/> (a symlink itself, never its target); false when it was not there.</summary>
    public bool Unlink(string name) =>
        LibC.unlinkat((int)Directory.DangerousGetHandle(), name, 0) == 0
            || (Marshal.GetLastPInvokeError() is var errno && errno != LibC.ENOENT
                ? throw new IOException($"cannot remove {DirectoryPath}/{name}: {Marshal.GetPInvokeErrorMessage(errno)}")
                : false);

    /// <summary>rename(2) within <see cref="Directory"/>, replacing <paramref name="to"/> (never following it).</summary>
    public void Rename(string from, string to)
    {
        if (LibC.renameat((int)Directory.DangerousGetHandle(), from, (int)Directory.DangerousGetHandle(), to) != 0)
        {
            throw new IOException($"cannot rename {DirectoryPath}/{from}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }

    public void Dispose()
    {
        Leaf?.Dispose();
        Directory.Dispose();
    }
}
