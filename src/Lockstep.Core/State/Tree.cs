using Lockstep.Processes;

namespace Lockstep.State;

/// <summary>
/// Copies and removes whole trees entry by entry, never following a symlink, keeping what
/// <c>rsync -a</c> keeps: type, permissions, owner, group, mtime, symlinks as symlinks.
/// </summary>
internal static class Tree
{
    private const uint FifoType = 0x1000;
    private const uint SocketType = 0xC000;
    private const uint OwnerOnly = 0b111_000_000;

    private static readonly EnumerationOptions Children = new() { AttributesToSkip = 0, IgnoreInaccessible = false, RecurseSubdirectories = false };

    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/>, which must not exist.</summary>
    public static void Copy(string source, string destination)
    {
        if (!Entry.TryLstat(source, out var stat))
        {
            throw new PosixException(2, "lstat", source);
        }

        uint type = stat.Mode & FileStat.TypeMask;
        if (stat.IsDirectory)
        {
            // Owner-only while filling, so nobody reads a half-copied directory; its own mode comes last.
            PosixFs.Mkdir(destination, OwnerOnly);
            foreach (string child in Directory.EnumerateFileSystemEntries(source, "*", Children))
            {
                Copy(child, Path.Combine(destination, Path.GetFileName(child)));
            }
        }
        else if (stat.IsRegularFile)
        {
            try
            {
                File.Copy(source, destination, overwrite: false);
            }
            catch (IOException e) when (e is not FileNotFoundException)
            {
                throw new IOException($"copy {source} to {destination}: {e.Message}", e);
            }
        }
        else if (stat.IsSymlink)
        {
            PosixFs.Symlink(Entry.LinkTarget(source) ?? "", destination);
        }
        else if (type is FifoType or SocketType)
        {
            PosixFs.MakeNode(destination, type | OwnerOnly);
        }
        else
        {
            throw new IOException($"{source} is a device file, which lockstep does not copy; remove it from the pristine copy");
        }

        ApplyMetadata(destination, stat);
    }

    /// <summary>Removes an entry and everything below it; a symlink is removed, never followed.</summary>
    public static void Remove(string path)
    {
        if (!Entry.TryLstat(path, out var stat))
        {
            return;
        }

        if (stat.IsDirectory)
        {
            // A copied directory may already carry a read-only mode; the owner may always restore write access.
            PosixFs.Chmod(path, OwnerOnly);
            foreach (string child in Directory.EnumerateFileSystemEntries(path, "*", Children))
            {
                Remove(child);
            }

            Directory.Delete(path);
        }
        else
        {
            File.Delete(path);
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
