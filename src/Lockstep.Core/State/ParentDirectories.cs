using Lockstep.Files;
using Lockstep.Processes;

namespace Lockstep.State;

/// <summary>
/// Opens, or creates, the directories leading to a stateful path under a root. A created one gets
/// the mode and owner of the matching directory under a reference root (where there is one), so a
/// service that owns <c>/var/lib/postgresql</c> owns it on the state volume too; existing ones are
/// left as they are.
/// </summary>
/// <remarks>
/// Such a service can replace anything inside the directories it owns, for instance a directory
/// by a symlink to elsewhere. So the walk goes one component at a time from the root, each opened
/// through the fd of the one before without following a symlink, and hands back the parent's fd
/// for the caller to work in. A symlink is followed only when root (or the caller) made it in a
/// directory nobody else can write: an administrator's link to a bigger disk, never one a service
/// user could have planted; any other symlink fails that path with one line.
/// </remarks>
internal static class ParentDirectories
{
    /// <summary>Mode of a directory services pass through (the state root, the pristine store, a parent with no model): 0755, whatever the umask.</summary>
    public const uint SharedMode = 0b111_101_101;

    /// <summary>Makes <c>root + dirname(path)</c> exist and opens it.</summary>
    public static DirectoryHandle Ensure(string root, string path, string? referenceRoot)
    {
        if (!Entry.IsDirectory(root))
        {
            if (Entry.Exists(root))
            {
                throw new IOException($"{root} is not a directory");
            }

            RuntimeDirectory.Ensure(root, SharedMode);
        }

        return Walk(root, path, (dir, name, soFar) => Create(dir, name, referenceRoot is null ? null : StateLayout.Under(referenceRoot, soFar)), cleanUp: true)!;
    }

    /// <summary>Opens <c>root + dirname(path)</c>, or returns null when a directory on the way is missing.</summary>
    public static DirectoryHandle? Open(string root, string path) =>
        Entry.IsDirectory(root) ? Walk(root, path, (_, _, _) => false, cleanUp: false) : null;

    /// <summary>
    /// Walks down to the parent of <paramref name="path"/>; <paramref name="whenMissing"/> creates a missing component (given the path so far) or declines.
    /// With <paramref name="cleanUp"/>, what killed runs left in the directories on the way is removed (the caller handles the parent's).
    /// </summary>
    private static DirectoryHandle? Walk(string root, string path, Func<DirectoryHandle, string, string, bool> whenMissing, bool cleanUp)
    {
        string[] parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var current = DirectoryHandle.Open(root);
        try
        {
            for (int i = 0; i < parts.Length - 1; i++)
            {
                string name = parts[i];
                if (cleanUp)
                {
                    _ = Staging.RemoveLeftovers(current);
                }

                if (!current.TryLstat(name, out _) && !whenMissing(current, name, "/" + string.Join('/', parts[..(i + 1)])))
                {
                    current.Dispose();
                    return null;
                }

                var next = Step(current, name);
                current.Dispose();
                current = next;
            }

            return current;
        }
        catch
        {
            current.Dispose();
            throw;
        }
    }

    private static DirectoryHandle Step(DirectoryHandle dir, string name)
    {
        if (!dir.TryLstat(name, out var stat))
        {
            throw new IOException($"{dir.PathOf(name)} could not be created as a directory");
        }

        if (stat.IsSymlink)
        {
            string? target = dir.LinkTarget(name);
            if (!MadeByAnAdministrator(dir, stat))
            {
                throw new PathProblemException($"{dir.PathOf(name)} is a symlink (to {target}) that a user other than root could have made; lockstep does not follow it: replace it with a directory (or make the link as root in a directory only root can write)");
            }

            return dir.TryOpenChild(name, follow: true)
                ?? throw new IOException($"{dir.PathOf(name)} is in the way: it is a symlink (to {target}) that does not lead to a directory; fix or remove it");
        }

        return (stat.IsDirectory ? dir.TryOpenChild(name) : null)
            ?? throw new IOException($"{dir.PathOf(name)} is in the way: it is not a directory; move it aside");
    }

    private static bool MadeByAnAdministrator(DirectoryHandle dir, FileStat link) =>
        Trust.IsOwnedByRootOrCaller(link) && Trust.IsTrusted(dir.Stat());

    private static bool Create(DirectoryHandle dir, string name, string? reference)
    {
        var model = default(FileStat);
        bool mirrored = reference is not null && Entry.TryStat(reference, out model) && model.IsDirectory;

        // Created by another process meanwhile: fine, as long as it is a directory (Step checks).
        _ = Staging.Place(dir, name, temp =>
        {
            PosixFs.Mkdir(temp, SharedMode);
            if (mirrored)
            {
                Tree.SetOwner(temp, model.Uid, model.Gid);
                PosixFs.Chmod(temp, model.Permissions);
            }
            else
            {
                PosixFs.Chmod(temp, SharedMode);
            }
        });
        return true;
    }
}
