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

        // The pristine parents exist even for a path with no content: restore takes them as proof the path was finalized.
        string name = Path.GetFileName(live);
        using var pristineParent = ParentDirectories.Ensure(layout.PristineDir, live, referenceRoot: "/");
        _ = Staging.RemoveLeftovers(pristineParent);

        string aside = Path.Combine(Path.GetDirectoryName(live)!, $".{name}.lockstep-moving");
        if (Entry.Exists(aside))
        {
            CompleteCopy(aside, pristineParent, name);
        }

        if (!Entry.TryLstat(live, out var stat))
        {
            log.Debug($"{live}: nothing to move");
        }
        else if (stat.IsSymlink && Entry.LinkTarget(live) == state)
        {
            log.Debug($"{live} already points to {state}");
        }
        else if (pristineParent.TryLstat(name, out _))
        {
            throw new PathProblemException($"both {live} and its pristine copy {pristine} exist; remove the one that is out of date and run 'lockstep state finalize' again");
        }
        else
        {
            Move(live, pristine, aside, pristineParent);
        }

        if (path.LeaveSymlink && layout.LeavesSymlinks && !Entry.Exists(live))
        {
            using var liveParent = ParentDirectories.Ensure("/", live, referenceRoot: null);
            PosixFs.SymlinkAt(state, liveParent.Fd, name, live);
            liveParent.Sync();
            log.Info($"left symlink {live} -> {state}");
        }
    }

    private void Move(string live, string pristine, string aside, DirectoryHandle pristineParent)
    {
        int errno = PosixFs.TryRenameNoReplace(live, pristine);
        if (errno == 0)
        {
            AtomicFile.SyncDirectory(Path.GetDirectoryName(pristine)!);
            AtomicFile.SyncDirectory(Path.GetDirectoryName(live)!);
            log.Info($"moved {live} to {pristine}");
            return;
        }

        if (errno != PosixFs.EXDEV)
        {
            throw new PosixException(errno, "rename", live);
        }

        // Another file system: set the content aside under a name a rerun recognises, copy it whole, then drop it.
        errno = PosixFs.TryRenameNoReplace(live, aside);
        if (errno != 0)
        {
            throw new PosixException(errno, "rename", live);
        }

        AtomicFile.SyncDirectory(Path.GetDirectoryName(live)!);
        CompleteCopy(aside, pristineParent, Path.GetFileName(pristine));
        log.Info($"moved {live} to {pristine} (copied across file systems)");
    }

    private void CompleteCopy(string aside, DirectoryHandle pristineParent, string name)
    {
        using var asideParent = DirectoryHandle.Open(Path.GetDirectoryName(aside)!);
        string asideName = Path.GetFileName(aside);
        if (!pristineParent.TryLstat(name, out _))
        {
            _ = Staging.Place(pristineParent, name, temp => Tree.Copy(asideParent, asideName, temp));
        }

        Tree.Remove(asideParent, asideName);
        asideParent.Sync();
        log.Debug($"copied {aside} to {pristineParent.PathOf(name)} and removed it");
    }
}
