using Lockstep.Processes;

namespace Lockstep.State;

/// <summary>
/// Builds an entry under a temporary name and renames it into place only when complete and on
/// disk, so a path is either absent or whole. A killed run leaves only a temporary directory,
/// which the next run (holding the <see cref="StateLock"/>) removes.
/// </summary>
/// <remarks>
/// The parent usually belongs to a service user (its owner mirrors the pristine one), who can
/// rename or replace anything in it at any moment, for instance swap the half-built copy for a
/// symlink so that root would write or delete elsewhere. So the copy is built in a private
/// directory: created in that parent (not under the state root: the parent may be on another
/// file system, and the final rename must never cross one), opened without following symlinks,
/// checked to be ours, empty and writable by nobody else, and from then on reached only through
/// its fd (<see cref="DirectoryHandle.Anchor"/>).
/// Nobody else can enter it, so building by path inside it is safe, and renaming the private
/// directory itself changes nothing. The copy leaves it with renameat2 between the two fds,
/// never replacing. Leftovers are removed through fds too (<see cref="Tree.Remove"/>), since
/// anyone who can write the parent can also name an entry like one.
/// </remarks>
internal static class Staging
{
    public const string TempPrefix = ".lockstep-tmp-";

    private const uint Private = 0b111_000_000;

    /// <summary>
    /// Builds <paramref name="name"/> in <paramref name="parent"/> through <paramref name="build"/>
    /// (given the path to build at). Returns false, leaving nothing behind, when something else
    /// created the entry meanwhile: existing content is never replaced.
    /// </summary>
    public static bool Place(DirectoryHandle parent, string name, Action<string> build)
    {
        string privateName = $"{TempPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}";
        string target = parent.PathOf(name);
        string temp = "";
        DirectoryHandle? staging = null;
        try
        {
            staging = CreatePrivate(parent, privateName);
            temp = staging.Anchor + "/" + name;
            build(temp);
            parent.SyncFileSystem();
            int errno = PosixFs.TryRenameNoReplace(staging.Fd, name, parent.Fd, name);
            if (errno == PosixFs.EEXIST || errno == PosixFs.ENOTEMPTY)
            {
                return false;
            }

            if (errno != 0)
            {
                throw new PosixException(errno, "rename", target);
            }

            parent.Sync();
            return true;
        }
        catch (IOException e) when (Renamed(e.Message, temp, parent.PathOf(privateName), target) is { } message)
        {
            // Name what failed as it would be in place, not by its temporary name.
            throw new IOException(message, e);
        }
        finally
        {
            if (staging is not null)
            {
                Discard(parent, privateName, staging, name);
            }
        }
    }

    /// <summary>Removes what killed runs left in <paramref name="dir"/>; returns their paths. Only call with the <see cref="StateLock"/> held.</summary>
    public static IReadOnlyList<string> RemoveLeftovers(DirectoryHandle dir)
    {
        var removed = dir.Names(TempPrefix);
        foreach (string leftover in removed)
        {
            Tree.Remove(dir, leftover);
        }

        if (removed.Count > 0)
        {
            dir.Sync();
        }

        return [.. removed.Select(dir.PathOf)];
    }

    private static string? Renamed(string message, string temp, string privateDir, string target)
    {
        string renamed = (temp.Length > 0 ? message.Replace(temp, target, StringComparison.Ordinal) : message)
            .Replace(privateDir, target, StringComparison.Ordinal);
        return renamed == message ? null : renamed;
    }

    private static DirectoryHandle CreatePrivate(DirectoryHandle parent, string name)
    {
        PosixFs.MkdirAt(parent.Fd, name, Private, parent.PathOf(name));
        var dir = parent.TryOpenChild(name);
        if (dir is not null)
        {
            var stat = dir.Stat();
            if (stat.Uid == FileStat.EffectiveUid && !stat.GroupWritable && !stat.OthersWritable && dir.Names().Count == 0)
            {
                PosixFs.Fchmod(dir.Fd, Private, dir.Path);
                return dir;
            }

            dir.Dispose();
        }

        throw new IOException($"the private directory lockstep created in {parent.Path} was replaced at once; someone who can write {parent.Path} is interfering, so nothing was copied there");
    }

    /// <summary>Removes the copy (if it was not placed) through the private directory's fd, then that directory; a failure is left to the next run.</summary>
    private static void Discard(DirectoryHandle parent, string privateName, DirectoryHandle staging, string name)
    {
        try
        {
            using (staging)
            {
                Tree.Remove(staging, name);
            }

            Tree.Remove(parent, privateName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The original outcome is the one to report; the next run removes the leftover.
        }
    }
}
