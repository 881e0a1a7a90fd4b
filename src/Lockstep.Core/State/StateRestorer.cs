using Lockstep.Logging;

namespace Lockstep.State;

/// <summary>
/// <c>lockstep state restore</c>: seeds each registered path on the state volume from its pristine
/// copy, only where the state volume has nothing at that path. Evolved state is never touched.
/// Both sides may hold directories a service user owns, so each is worked on through directory
/// fds (<see cref="ParentDirectories"/>, <see cref="Staging"/>, <see cref="Tree"/>).
/// </summary>
internal sealed class StateRestorer(StateLayout layout, ILog log)
{
    /// <summary>Returns how many paths failed (each logged).</summary>
    public int Restore(IReadOnlyList<StatefulPath> paths) =>
        EachPath.Run(paths, log, "lockstep state restore", RestoreOne);

    private void RestoreOne(StatefulPath path)
    {
        string name = Path.GetFileName(path.Path);
        string pristine = layout.PristinePathOf(path.Path);
        string target = layout.StatePathOf(path.Path);
        using var pristineParent = ParentDirectories.Open(layout.PristineDir, path.Path)
            ?? throw new PathProblemException($"its parent {Path.GetDirectoryName(pristine)} is missing from the pristine store; run 'lockstep state finalize' where the image is built (or create that directory)");

        bool hasPristine = pristineParent.TryLstat(name, out var pristineStat);
        if (hasPristine && pristineStat.IsSymlink && !Entry.TryStat(pristineParent.Anchor + "/" + name, out _))
        {
            throw new PathProblemException($"the pristine copy {pristine} is a dangling symlink (to {pristineParent.LinkTarget(name)}); fix or remove it");
        }

        using var parent = ParentDirectories.Ensure(layout.StateRoot, path.Path, layout.PristineDir);
        foreach (string leftover in Staging.RemoveLeftovers(parent))
        {
            log.Info($"removed {leftover}, left by an interrupted run");
        }

        if (parent.TryLstat(name, out _))
        {
            log.Debug($"{target} exists; kept as it is");
        }
        else if (!hasPristine)
        {
            log.Debug($"{path.Path}: no pristine copy; the service creates its own state in {target}");
        }
        else if (Staging.Place(parent, name, temp => Tree.Copy(pristineParent, name, temp)))
        {
            log.Info($"seeded {target} from {pristine}");
        }
        else
        {
            log.Info($"{target} appeared while it was being seeded; kept it and discarded the copy");
        }
    }
}
