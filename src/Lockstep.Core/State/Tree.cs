using System.Buffers;
using System.Runtime.InteropServices;
using Lockstep.Files;
using Lockstep.Processes;

namespace Lockstep.State;

/// <summary>
/// Copies and removes whole trees entry by entry, never following a symlink, keeping what
/// <c>rsync -a</c> keeps: type, permissions, owner, group, mtime, symlinks as symlinks.
/// The tree read or removed may belong to another user, who can change it meanwhile: it is walked
/// through directory fds opened without following symlinks, and each entry's metadata is taken
/// from the very file that is read. The copy is written by path, so its destination must be a
/// place nobody else can enter (see <see cref="Staging"/>).
/// </summary>
internal static class Tree
{
    private const uint FifoType = 0x1000;
    private const uint SocketType = 0xC000;
    private const uint OwnerOnly = 0b111_000_000;

    // A copy is made by path, so it is never deeper than PATH_MAX (4096) allows; whoever can write a
    // leftover's directory could nest one far deeper, to exhaust fds or the stack.
    private const int DeepestCopy = 2048;

    /// <summary>Copies the entry <paramref name="name"/> of <paramref name="source"/> to <paramref name="destination"/>, which must not exist.</summary>
    public static void Copy(DirectoryHandle source, string name, string destination)
    {
        string from = source.PathOf(name);
        if (!source.TryLstat(name, out var stat))
        {
            throw new PosixException(LibC.ENOENT, "lstat", from);
        }

        uint type = stat.Mode & FileStat.TypeMask;
        if (stat.IsDirectory)
        {
            using var dir = source.OpenChild(name);
            stat = dir.Stat();

            // Owner-only while filling, so nobody reads a half-copied directory; its own mode comes last.
            PosixFs.Mkdir(destination, OwnerOnly);
            foreach (string child in dir.Names())
            {
                Copy(dir, child, Path.Combine(destination, child));
            }
        }
        else if (stat.IsRegularFile)
        {
            stat = CopyFile(source, name, destination);
        }
        else if (stat.IsSymlink)
        {
            string target = source.LinkTarget(name) ?? throw Changed(from);
            PosixFs.Symlink(target, destination);
        }
        else if (type is FifoType or SocketType)
        {
            PosixFs.MakeNode(destination, type | OwnerOnly);
        }
        else
        {
            throw new IOException($"{from} is a device file, which lockstep does not copy; remove it from the pristine copy");
        }

        ApplyMetadata(destination, stat);
    }

    /// <summary>Removes the entry <paramref name="name"/> of <paramref name="dir"/> and everything below it; a symlink is removed, never followed.</summary>
    public static void Remove(DirectoryHandle dir, string name) => Remove(dir, name, 0);

    private static void Remove(DirectoryHandle dir, string name, int depth)
    {
        if (!dir.TryLstat(name, out var stat))
        {
            return;
        }

        if (stat.IsDirectory)
        {
            if (depth > DeepestCopy)
            {
                throw new IOException($"{dir.PathOf(name)} is nested deeper than any copy lockstep makes, so lockstep did not make it; remove it by hand");
            }

            using (var child = dir.OpenChild(name))
            {
                // A copied directory may carry a read-only mode; the owner may always restore its access.
                if ((child.Stat().Permissions & OwnerOnly) != OwnerOnly)
                {
                    PosixFs.Fchmod(child.Fd, OwnerOnly, child.Path);
                }

                foreach (string entry in child.Names())
                {
                    Remove(child, entry, depth + 1);
                }
            }

            PosixFs.UnlinkAt(dir.Fd, name, directory: true, dir.PathOf(name));
        }
        else
        {
            PosixFs.UnlinkAt(dir.Fd, name, directory: false, dir.PathOf(name));
        }
    }

    /// <summary>lchown, except that, as with rsync -a, a caller other than root keeps its own ownership.</summary>
    public static void SetOwner(string path, uint uid, uint gid)
    {
        try
        {
            PosixFs.Lchown(path, uid, gid);
        }
        catch (PosixException e) when (e.Errno == PosixFs.EPERM && FileStat.EffectiveUid != 0)
        {
        }
    }

    /// <summary>Copies a regular file's content from an fd opened without following symlinks; returns that file's metadata.</summary>
    private static FileStat CopyFile(DirectoryHandle source, string name, string destination)
    {
        string from = source.PathOf(name);
        using var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle(PosixFs.OpenReadAt(source.Fd, name, from), ownsHandle: true);
        if (FileStat.TryLstatAt((int)handle.DangerousGetHandle(), "", out var stat) != 0 || !stat.IsRegularFile)
        {
            throw Changed(from);
        }

        // Created by libc, not File.Copy: .NET would turn a name's bytes that are not UTF-8 into U+FFFD (README, "Paths are bytes").
        int fd = LibC.open(destination, LibC.O_WRONLY | LibC.O_CREAT | LibC.O_EXCL | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0b110_000_000);
        if (fd < 0)
        {
            throw new IOException($"copy {from} to {destination}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        using var output = new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            long offset = 0;
            for (int read; (read = RandomAccess.Read(handle, buffer, offset)) > 0; offset += read)
            {
                RandomAccess.Write(output, buffer.AsSpan(0, read), offset);
            }
        }
        catch (IOException e)
        {
            throw new IOException($"copy {from} to {destination}: {FileFailure.Message(e)}", e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return stat;
    }

    private static IOException Changed(string path) =>
        new($"{path} changed while lockstep was copying it; run the command again once it is stable");

    // Owner first: chown clears set-user-ID bits, so the mode is set after it; mtime last, since creating children changes it.
    private static void ApplyMetadata(string path, FileStat stat)
    {
        SetOwner(path, stat.Uid, stat.Gid);
        if (!stat.IsSymlink)
        {
            PosixFs.Chmod(path, stat.Permissions);
        }

        PosixFs.SetMtime(path, stat.MtimeSeconds, stat.MtimeNanoseconds);
    }
}
