using Lockstep.Logging;

namespace Lockstep.State;

/// <summary><c>lockstep state list</c>: looks, changes nothing.</summary>
internal sealed class StateLister(StateLayout layout)
{
    public StateListing List(IReadOnlyList<StatefulPath> paths) =>
        new(Printable.EscapeBytes(layout.StateRoot), Printable.EscapeBytes(layout.PristineDir), Printable.EscapeBytes(layout.Registry), [.. paths.Select(Report)]);

    private StatePathReport Report(StatefulPath path)
    {
        string state = layout.StatePathOf(path.Path);
        string pristine = layout.PristinePathOf(path.Path);
        // JSON has no bytes that are not UTF-8: such a byte is shown \xNN, as in messages.
        return new StatePathReport(
            Printable.EscapeBytes(path.Path), path.LeaveSymlink, Printable.EscapeBytes(state), Printable.EscapeBytes(pristine), Condition(state, pristine), Symlink(path, state));
    }

    private static string Condition(string state, string pristine)
    {
        if (Entry.Exists(state))
        {
            return "seeded";
        }

        if (Entry.Exists(pristine))
        {
            return Entry.TryStat(pristine, out _) ? "pristine-only" : "pristine-broken";
        }

        return "missing";
    }

    private string? Symlink(StatefulPath path, string state)
    {
        if (!path.LeaveSymlink || !layout.LeavesSymlinks)
        {
            return null;
        }

        if (!Entry.TryLstat(path.Path, out var stat))
        {
            return "missing";
        }

        if (!stat.IsSymlink)
        {
            return "not-a-symlink";
        }

        return Entry.LinkTarget(path.Path) == state && Entry.TryStat(path.Path, out _) ? "correct" : "broken";
    }
}
