using Lockstep.Processes;

namespace Lockstep.Tests.Processes;

/// <summary>Which processes a timed-out script's tree holds, decided on a /proc snapshot.</summary>
public sealed class ScriptTreeTests
{
    private const int Self = 100;
    private static readonly ProcEntry Script = new(500, Self, 'S', 1000);

    private static List<int> Members(bool adopting, params ProcEntry[] others) =>
        [.. ScriptTree.Members([new(1, 0, 'S', 1), new(Self, 1, 'S', 10), Script, .. others], Self, Script, adopting).Select(e => e.Pid).Order()];

    [Fact]
    public void The_script_and_every_descendant_belong_whatever_their_group()
    {
        Members(adopting: false, new(501, 500, 'S', 1001), new(502, 501, 'S', 1002), new(503, 502, 'R', 1003))
            .ShouldBe([500, 501, 502, 503]);
    }

    [Fact]
    public void Orphans_adopted_after_the_script_started_belong_with_their_descendants()
    {
        Members(adopting: true, new(510, Self, 'S', 1005), new(511, 510, 'S', 1006))
            .ShouldBe([500, 510, 511]);
    }

    [Fact]
    public void A_daemon_an_earlier_script_left_does_not_belong_nor_do_its_children()
    {
        Members(adopting: true, new(400, Self, 'S', 900), new(520, 400, 'S', 1100))
            .ShouldBe([500]);
    }

    [Theory]
    [InlineData(499, false)]
    [InlineData(501, true)]
    public void Within_one_clock_tick_the_pid_order_decides(int pid, bool belongs)
    {
        Members(adopting: true, new ProcEntry(pid, Self, 'S', Script.StartTicks)).Contains(pid).ShouldBe(belongs);
    }

    [Fact]
    public void Without_adoption_other_children_of_lockstep_are_never_touched()
    {
        Members(adopting: false, new ProcEntry(510, Self, 'S', 1005)).ShouldBe([500]);
    }

    [Fact]
    public void Zombies_are_not_members_but_nothing_else_of_the_tree_is_lost()
    {
        var zombie = Script with { State = 'Z' };
        ScriptTree.Members([new(Self, 1, 'S', 10), zombie, new(510, Self, 'S', 1005), new(511, Self, 'Z', 1006)], Self, Script, adopting: true)
            .Select(e => e.Pid).ShouldBe([510]);
    }

    [Fact]
    public void A_pid_reused_by_another_process_is_not_the_script()
    {
        ScriptTree.Members([new(500, Self, 'S', 5000), new(501, 500, 'S', 5001)], Self, Script, adopting: false).ShouldBeEmpty();
    }

    [Fact]
    public void Lockstep_itself_is_never_a_member_even_in_a_torn_snapshot()
    {
        ScriptTree.Members([new(Self, 500, 'S', 10), Script], Self, Script, adopting: false).Select(e => e.Pid).ShouldBe([500]);
    }

    [Theory]
    [InlineData("500 (sh) S 100 500 300 0 -1 4194304 10 0 0 0 0 0 0 0 20 0 1 0 1234 1000 100", 'S', 100, 500, 300, 1234UL)]
    [InlineData("501 (a) b) c) Z 1 490 501 0 -1 4194304 10 0 0 0 0 0 0 0 20 0 1 0 77 0 0\n", 'Z', 1, 490, 501, 77UL)]
    public void A_stat_line_gives_state_parent_group_session_and_start_even_with_parentheses_in_the_name(string stat, char state, int parent, int group, int session, ulong start)
    {
        int pid = int.Parse(stat.AsSpan(0, 3));
        ProcEntry.Parse(pid, stat).ShouldBe(new ProcEntry(pid, parent, state, start) { ProcessGroup = group, Session = session });
    }

    [Theory]
    [InlineData("")]
    [InlineData("500 (sh")]
    [InlineData("500 (sh) S 100 500")]
    [InlineData("500 (sh) S x 500 500 0 -1 4194304 10 0 0 0 0 0 0 0 20 0 1 0 1234 1000 100")]
    public void A_line_not_in_the_kernels_format_gives_nothing(string stat)
    {
        ProcEntry.Parse(500, stat).ShouldBeNull();
    }

    [Fact]
    public void The_live_table_holds_this_process_with_its_parent()
    {
        var table = ProcessTable.Read();

        var self = table.Where(e => e.Pid == Environment.ProcessId).ShouldHaveSingleItem();
        self.ParentPid.ShouldBe(ProcessTable.TryRead(Environment.ProcessId)!.Value.ParentPid);
        ProcessTable.IsRunning(self).ShouldBeTrue();
        ProcessTable.IsRunning(self with { StartTicks = self.StartTicks + 1 }).ShouldBeFalse();
    }
}
