using Lockstep.Files;
using Lockstep.Processes;

namespace Lockstep.State;

/// <summary>
/// The state root, the pristine store and the registry say where root creates, copies, moves and
/// removes, and what: another user who could change one of them, or a directory or symlink on the
/// way to it, could make root seed their files as a service's state, hand them directories, or
/// remove the state volume as a "leftover". So each is held to the rule for configuration
/// (README, "Which paths Lockstep trusts") before a state command reads, copies or writes anything.
/// </summary>
internal static class TrustedRoots
{
    /// <summary>Checks what the command uses; throws <see cref="StateException"/> with the one line of the first refusal.</summary>
    /// <param name="registryOnly">Only the registry (register touches nothing else).</param>
    public static void Check(StateLayout layout, bool registryOnly)
    {
        if (!registryOnly)
        {
            Check(layout.PristineDir, "pristine store", directory: true);
            Check(layout.StateRoot, "state root", directory: true);
        }

        // Its directory is one on the way, judged as such: a sticky one (/tmp) passes, since nobody
        // else can replace root's registry there, and one they put there is refused as theirs.
        Check(layout.Registry, "registry", directory: false);
    }

    /// <summary>
    /// Walks <paramref name="path"/> under <see cref="PathRule.Trusted"/> and judges what it reaches
    /// like a configuration file, except that a directory must be one. A path that does not exist
    /// yet passes when what exists on the way does and only root or the caller can create it: the
    /// nearest directory that exists is held to the rule for the path itself (a sticky one is not
    /// enough, since anyone could make the path there first). A missing registry in a directory
    /// that exists is the exception: root creates that file itself, and refuses one another user made.
    /// </summary>
    private static void Check(string path, string what, bool directory)
    {
        WalkedPath walked;
        try
        {
            walked = PathWalk.Walk(path, PathRule.Trusted, what);
        }
        catch (PathRefusedException e) when (e.Errno == LibC.ENOENT)
        {
            CheckCreatable(path, what);
            return;
        }
        catch (PathRefusedException e)
        {
            throw new StateException(e.Message);
        }

        using (walked)
        {
            if (!walked.Exists)
            {
                if (directory)
                {
                    CheckCreatable(path, what);
                }

                return;
            }

            if (directory && !walked.Stat.IsDirectory)
            {
                throw new StateException($"{what} {PathWalk.Shown(path)} is {walked.Stat.Kind}, not a directory; give a directory");
            }

            // Unlike a directory on the way, a sticky root is refused too: anyone could create the
            // entries below it that root then walks into (a missing parent of a stateful path).
            if (Trust.Check(what, PathWalk.Shown(path), walked.Stat, "use") is { } refusal)
            {
                throw new StateException(refusal);
            }
        }
    }

    /// <summary>Refuses a missing <paramref name="path"/> whose nearest existing directory someone other than root or the caller could create it in.</summary>
    private static void CheckCreatable(string path, string what)
    {
        string full = PathWalk.FullPath(path);
        for (string? dir = Path.GetDirectoryName(full); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (FileStat.TryStat(dir, out var stat) != 0)
            {
                continue;
            }

            if (!Trust.IsTrusted(stat))
            {
                throw new StateException(
                    $"{what} {PathWalk.Shown(path)} does not exist, and {PathWalk.Shown(dir)} (mode {Convert.ToString(stat.Permissions, 8).PadLeft(4, '0')}, uid {stat.Uid}) lets another user create it first; create it as root (mode 0755) or choose a path below a directory only root can write");
            }

            return;
        }
    }
}
