using Lockstep.Files;
using Lockstep.Logging;

namespace Lockstep.State;

/// <summary>
/// <c>lockstep state finalize</c> (image build): moves each registered path's content into the
/// pristine store and, when asked, leaves <c>PATH -> STATE_ROOT/PATH</c>. Every step is checked
/// against what is already there, so a second run, or a run after a kill, changes only what is left.
/// </summary>
public sealed class StateFinalizer(StateLayout layout, ILog log)
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
        string pristineParent = ParentDirectories.Ensure(layout.PristineDir, live, referenceRoot: "/");
        _ = Staging.RemoveLeftovers(pristineParent);

        string aside = Path.Combine(Path.GetDirectoryName(live)!, $".{Path.GetFileName(live)}.lockstep-moving");
        if (Entry.Exists(aside))
        {
            CompleteCopy(aside, pristine);
        }

        if (!Entry.TryLstat(live, out var stat))
        {
            log.Debug($"{live}: nothing to move");
        }
        else if (stat.IsSymlink && Entry.LinkTarget(live) == state)
        {
            log.Debug($"{live} already points to {state}");
        }
        else if (Entry.Exists(pristine))
        {
            throw new PathProblemException($"both {live} and its pristine copy {pristine} exist; remove the one that is out of date and run 'lockstep state finalize' again");
        }
        else
        {
            Move(live, pristine, aside);
        }

        if (path.LeaveSymlink && layout.LeavesSymlinks && !Entry.Exists(live))
        {
            string liveParent = ParentDirectories.Ensure("/", live, referenceRoot: null);
            PosixFs.Symlink(state, live);
            AtomicFile.SyncDirectory(liveParent);
            log.Info($"left symlink {live} -> {state}");
        }
    }

    private void Move(string live, string pristine, string aside)
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
        CompleteCopy(aside, pristine);
        log.Info($"moved {live} to {pristine} (copied across file systems)");
    }

    private void CompleteCopy(string aside, string pristine)
    {
        if (!Entry.Exists(pristine))
        {
            _ = Staging.Place(pristine, temp => Tree.Copy(aside, temp));
        }

        Tree.Remove(aside);
        AtomicFile.SyncDirectory(Path.GetDirectoryName(aside)!);
        log.Debug($"copied {aside} to {pristine} and removed it");
    }
}
