using Lockstep.Files;
using Lockstep.Logging;

namespace Lockstep.State;

/// <summary>
/// <c>lockstep state finalize</c> (image build): moves each registered path's content into the
/// pristine store and, when asked, leaves <c>PATH -> STATE_ROOT/PATH</c>. Every step is checked
/// against what is already there, so a second run, or a run after a kill, changes only what is left.
/// </summary>
internal sealed class StateFinalizer(StateLayout layout, ILog log)
{
    /// <summary>Returns how many paths failed (each logged).</summary>
    public int Finalize(IReadOnlyList<StatefulPath> paths) =>
        EachPath.Run(paths, log, "lockstep state finalize", FinalizeOne);

    private void FinalizeOne(StatefulPath path)
    {
        if (layout.Overlap(path.Path) is { } overlap)
        {
            throw new PathProblemException(overlap);
        }

        string live = path.Path;
        string pristine = layout.PristinePathOf(live);
        string state = layout.StatePathOf(live);

        // The live side may lie in directories a service owns, as the pristine parents then do: both
        // are held open (a symlink on the way only when root made it where only root can write), and
        // every move goes between the two fds, so nobody can steer root's rename elsewhere. The live
        // side first: a symlink planted there must not lend its target's owner to a pristine parent.
        string name = Path.GetFileName(live);
        using var liveParent = ParentDirectories.Open("/", live);

        // The pristine parents exist even for a path with no content: restore takes them as proof the path was finalized.
        using var pristineParent = ParentDirectories.Ensure(layout.PristineDir, live, referenceRoot: "/");
        _ = Staging.RemoveLeftovers(pristineParent);
        string asideName = $".{name}.lockstep-moving";
        if (liveParent is not null && liveParent.TryLstat(asideName, out _))
        {
            CompleteCopy(liveParent, asideName, pristineParent, name);
        }

        if (liveParent is null || !liveParent.TryLstat(name, out var stat))
        {
            log.Debug($"{live}: nothing to move");
        }
        else if (stat.IsSymlink && liveParent.LinkTarget(name) == state)
        {
            log.Debug($"{live} already points to {state}");
        }
        else if (pristineParent.TryLstat(name, out _))
        {
            throw new PathProblemException($"both {live} and its pristine copy {pristine} exist; remove the one that is out of date and run 'lockstep state finalize' again");
        }
        else
        {
            Move(live, pristine, liveParent, asideName, pristineParent);
        }

        if (path.LeaveSymlink && layout.LeavesSymlinks && (liveParent is null || !liveParent.TryLstat(name, out _)))
        {
            using var symlinkParent = ParentDirectories.Ensure("/", live, referenceRoot: null);
            PosixFs.SymlinkAt(state, symlinkParent.Fd, name, live);
            symlinkParent.Sync();
            log.Info($"left symlink {live} -> {state}");
        }
    }

    private void Move(string live, string pristine, DirectoryHandle liveParent, string asideName, DirectoryHandle pristineParent)
    {
        string name = Path.GetFileName(live);
        int errno = PosixFs.TryRenameNoReplace(liveParent.Fd, name, pristineParent.Fd, name);
        if (errno == 0)
        {
            pristineParent.Sync();
            liveParent.Sync();
            log.Info($"moved {live} to {pristine}");
            return;
        }

        if (errno != PosixFs.EXDEV)
        {
            throw new PosixException(errno, "rename", live);
        }

        // Another file system: set the content aside under a name a rerun recognises, copy it whole, then drop it.
        errno = PosixFs.TryRenameNoReplace(liveParent.Fd, name, liveParent.Fd, asideName);
        if (errno != 0)
        {
            throw new PosixException(errno, "rename", live);
        }

        liveParent.Sync();
        CompleteCopy(liveParent, asideName, pristineParent, name);
        log.Info($"moved {live} to {pristine} (copied across file systems)");
    }

    private void CompleteCopy(DirectoryHandle asideParent, string asideName, DirectoryHandle pristineParent, string name)
    {
        if (!pristineParent.TryLstat(name, out _))
        {
            _ = Staging.Place(pristineParent, name, temp => Tree.Copy(asideParent, asideName, temp));
        }

        Tree.Remove(asideParent, asideName);
        asideParent.Sync();
        log.Debug($"copied {asideParent.PathOf(asideName)} to {pristineParent.PathOf(name)} and removed it");
    }
}
