using System.Text.RegularExpressions;
using Lockstep.Tests.Support;
using Lockstep.Update;

namespace Lockstep.Tests.Update;

public sealed class UpdateTransitionsTests
{
    private static readonly DateTimeOffset At = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Every pair of steps, and whether the workflow may move from the first to the second.</summary>
    public static TheoryData<UpdateStep, UpdateStep, bool> AllPairs()
    {
        var allowed = new HashSet<(UpdateStep, UpdateStep)>
        {
            (UpdateStep.NeedsUpdate, UpdateStep.LockGet),
            (UpdateStep.LockGet, UpdateStep.PreUpdate),
            (UpdateStep.PreUpdate, UpdateStep.Update),
            (UpdateStep.Update, UpdateStep.NeedsReboot),
            (UpdateStep.NeedsReboot, UpdateStep.Reboot),
            (UpdateStep.NeedsReboot, UpdateStep.PostUpdate),
            (UpdateStep.Reboot, UpdateStep.PostUpdate),
            (UpdateStep.PostUpdate, UpdateStep.PostUpdate),
            (UpdateStep.PostUpdate, UpdateStep.Reboot),
            (UpdateStep.PostUpdate, UpdateStep.LockRelease),
            (UpdateStep.LockRelease, UpdateStep.NeedsUpdate),
        };
        var data = new TheoryData<UpdateStep, UpdateStep, bool>();
        foreach (var from in UpdateSteps.All)
        {
            foreach (var to in UpdateSteps.All)
            {
                data.Add(from, to, allowed.Contains((from, to)));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Only_the_moves_of_the_table_are_allowed(UpdateStep from, UpdateStep to, bool allowed)
    {
        UpdateTransitions.IsAllowed(from, to).ShouldBe(allowed);
        var state = new UpdateState(from, LockName: "fleet", HolderId: "me", Reboot: from == UpdateStep.PostUpdate ? new PendingReboot("b1", At) : null);
        var reboot = from == UpdateStep.Reboot && to == UpdateStep.PostUpdate ? new PendingReboot("b1", At) : null;
        if (allowed)
        {
            UpdateTransitions.Move(state, to, At, reboot).Step.ShouldBe(to);
        }
        else
        {
            Should.Throw<InvalidOperationException>(() => UpdateTransitions.Move(state, to, At, reboot));
        }
    }

    [Fact]
    public void A_move_keeps_the_lock_and_holder_and_stamps_the_time()
    {
        var moved = UpdateTransitions.Move(new UpdateState(UpdateStep.PreUpdate, At, "fleet", "me"), UpdateStep.Update, At.AddMinutes(5));

        moved.ShouldBe(new UpdateState(UpdateStep.Update, At.AddMinutes(5), "fleet", "me"));
    }

    [Fact]
    public void Recording_a_reboot_requires_the_boot_id_and_only_there()
    {
        var reboot = new PendingReboot("b1", At);
        var atReboot = new UpdateState(UpdateStep.Reboot, At, "fleet", "me");

        UpdateTransitions.Move(atReboot, UpdateStep.PostUpdate, At, reboot).Reboot.ShouldBe(reboot);
        Should.Throw<InvalidOperationException>(() => UpdateTransitions.Move(atReboot, UpdateStep.PostUpdate, At));
        Should.Throw<InvalidOperationException>(() => UpdateTransitions.Move(new UpdateState(UpdateStep.NeedsReboot), UpdateStep.PostUpdate, At, reboot));
    }

    [Fact]
    public void Confirming_the_reboot_clears_it_and_is_refused_when_none_was_pending()
    {
        var waiting = new UpdateState(UpdateStep.PostUpdate, At, "fleet", "me", new PendingReboot("b1", At));

        UpdateTransitions.Move(waiting, UpdateStep.PostUpdate, At).Reboot.ShouldBeNull();
        Should.Throw<InvalidOperationException>(() => UpdateTransitions.Move(waiting with { Reboot = null }, UpdateStep.PostUpdate, At));
    }

    [Fact]
    public void Releasing_the_lock_returns_to_the_idle_state()
    {
        UpdateTransitions.Move(new UpdateState(UpdateStep.LockRelease, At, "fleet", "me"), UpdateStep.NeedsUpdate, At).ShouldBe(UpdateState.Idle);
    }

    [Theory]
    [InlineData("b1", "b1", false)]
    [InlineData("b1", "b2", true)]
    [InlineData("6f0e", "6F0E", true)] // ids are compared exactly
    public void A_reboot_happened_exactly_when_the_boot_id_changed(string recorded, string current, bool happened) =>
        new PendingReboot(recorded, At).HappenedBy(current).ShouldBe(happened);

    [Fact]
    public void The_committed_diagram_draws_exactly_the_table()
    {
        string dot = File.ReadAllText(Path.Combine(LockstepCli.RepositoryRoot(), "docs", "update-states.dot"));
        var edges = Regex.Matches(dot, @"^\s*(\w+) -> (\w+) \[label=""([^""]*)""\];", RegexOptions.Multiline)
            .Select(m => $"{m.Groups[1].Value} -> {m.Groups[2].Value}: {m.Groups[3].Value}")
            .Order(StringComparer.Ordinal);

        edges.ShouldBe(UpdateTransitions.Table.Select(m => $"{m.From.Name()} -> {m.To.Name()}: {m.When}").Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("needs_update", UpdateStep.NeedsUpdate)]
    [InlineData("lock_get", UpdateStep.LockGet)]
    [InlineData("pre_update", UpdateStep.PreUpdate)]
    [InlineData("update", UpdateStep.Update)]
    [InlineData("needs_reboot", UpdateStep.NeedsReboot)]
    [InlineData("reboot", UpdateStep.Reboot)]
    [InlineData("post_update", UpdateStep.PostUpdate)]
    [InlineData("lock_release", UpdateStep.LockRelease)]
    [InlineData("check_update", UpdateStep.NeedsUpdate)] // foreman_dlm_updater's first releases
    [InlineData("do_update", UpdateStep.Update)]
    public void Step_names_are_foreman_dlm_updaters(string name, UpdateStep step)
    {
        UpdateSteps.TryParse(name, out var parsed).ShouldBeTrue();
        parsed.ShouldBe(step);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Post_Update")]
    [InlineData("post_update ")]
    [InlineData("garbage")]
    public void Other_names_are_not_steps(string name) => UpdateSteps.TryParse(name, out _).ShouldBeFalse();
}
