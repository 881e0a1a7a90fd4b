namespace Lockstep.State;

/// <summary>
/// Creates the directories leading to a stateful path under a root, each with the mode and owner
/// of the matching directory under a reference root (where there is one), so a service that owns
/// <c>/var/lib/postgresql</c> owns it on the state volume too. Existing directories are left as they are.
/// </summary>
internal static class ParentDirectories
{
    private const uint DefaultMode = 0b111_101_101;

    /// <summary>Makes <c>root + dirname(path)</c> exist; returns that directory.</summary>
    public static string Ensure(string root, string path, string? referenceRoot)
    {
        if (!Entry.IsDirectory(root))
        {
            if (Entry.Exists(root))
            {
                throw new IOException($"{root} is not a directory");
            }

            Directory.CreateDirectory(root);
        }

        string current = root;
        string[] parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < parts.Length - 1; i++)
        {
            string next = StateLayout.Under(current, "/" + parts[i]);
            if (!Entry.IsDirectory(next))
            {
                if (Entry.Exists(next))
                {
                    throw new IOException($"{next} is in the way: it is not a directory (or a symlink to one); move it aside");
                }

                string? reference = referenceRoot is null ? null : StateLayout.Under(referenceRoot, "/" + string.Join('/', parts[..(i + 1)]));
                Create(next, reference);
            }

            current = next;
        }

        return current;
    }

    private static void Create(string dir, string? reference)
    {
        _ = Staging.RemoveLeftovers(Path.GetDirectoryName(dir)!);
        var model = default(Lockstep.Processes.FileStat);
        bool mirrored = reference is not null && Entry.TryStat(reference, out model) && model.IsDirectory;
        _ = Staging.Place(dir, temp =>
        {
            PosixFs.Mkdir(temp, DefaultMode);
            if (mirrored)
            {
                Tree.SetOwner(temp, model.Uid, model.Gid);
                PosixFs.Chmod(temp, model.Permissions);
            }
            else
            {
                PosixFs.Chmod(temp, DefaultMode);
            }
        });

        // Created by another process meanwhile: fine, as long as it is a directory.
        if (!Entry.IsDirectory(dir))
        {
            throw new IOException($"{dir} could not be created as a directory");
        }
    }
}
