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

        using var reference = referenceRoot is not null && Entry.IsDirectory(referenceRoot) ? DirectoryHandle.Open(referenceRoot) : null;
        return Walk(root, path, reference, create: true)!;
    }

    /// <summary>Opens <c>root + dirname(path)</c>, or returns null when a directory on the way is missing.</summary>
    public static DirectoryHandle? Open(string root, string path) =>
        Entry.IsDirectory(root) ? Walk(root, path, reference: null, create: false) : null;

    /// <summary>
    /// Walks down to the parent of <paramref name="path"/>. With <paramref name="create"/>, a missing
    /// component is created, with the mode and owner of the matching directory under
    /// <paramref name="reference"/> (walked alongside, under the same rule, so the model is the very
    /// directory opened, never one a service swapped in by name), and what killed runs left in the
    /// directories on the way is removed (the caller handles the parent's); without, a missing one gives null.
    /// </summary>
    private static DirectoryHandle? Walk(string root, string path, DirectoryHandle? reference, bool create)
    {
        string[] parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var current = DirectoryHandle.Open(root);
        var model = reference;
        try
        {
            for (int i = 0; i < parts.Length - 1; i++)
            {
                string name = parts[i];
                if (create)
                {
                    _ = Staging.RemoveLeftovers(current);
                }

                var nextModel = model is not null && model.TryLstat(name, out _) ? Step(model, name) : null;
                if (model != reference)
                {
                    model?.Dispose();
                }

                model = nextModel;
                if (!current.TryLstat(name, out _))
                {
                    if (!create)
                    {
                        current.Dispose();
                        return null;
                    }

                    Create(current, name, model);
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
        finally
        {
            if (model != reference)
            {
                model?.Dispose();
            }
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

    private static void Create(DirectoryHandle dir, string name, DirectoryHandle? model)
    {
        var stat = model?.Stat();

        // Created by another process meanwhile: fine, as long as it is a directory (Step checks).
        _ = Staging.Place(dir, name, temp =>
        {
            PosixFs.Mkdir(temp, SharedMode);
            if (stat is { } mirrored)
            {
                Tree.SetOwner(temp, mirrored.Uid, mirrored.Gid);
                PosixFs.Chmod(temp, mirrored.Permissions);
            }
            else
            {
                PosixFs.Chmod(temp, SharedMode);
            }
        });
    }
}
