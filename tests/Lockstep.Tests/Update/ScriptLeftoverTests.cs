using Lockstep.Processes;
using Lockstep.Tests.Support;
using Lockstep.Update;

namespace Lockstep.Tests.Update;

/// <summary>Which /proc entry is the script a killed run left, and what of it a timeout ends: tables of processes.</summary>
public sealed class ScriptLeftoverTests
{
    private const int Session = 100;
    private const int Self = 90;
    private static readonly DateTimeOffset Started = new(2026, 3, 1, 2, 0, 0, TimeSpan.Zero);

    private static readonly ScriptRecord Recorded = new("boot-1", "update", "/etc/lockstep/update.d/10-apt", "m1", Session, Started) { Pid = 500, StartTicks = 1000 };

    private static ProcEntry Entry(int pid, ulong start, int group, int session = Session, char state = 'S', int parent = 1) =>
        new(pid, parent, state, start) { ProcessGroup = group, Session = session };

    /// <summary>A table written as "PID/START/GROUP/SESSION[/STATE] ...".</summary>
    private static ProcEntry[] Table(string processes) => [.. processes.Split(' ').Select(text =>
    {
        string[] f = text.Split('/');
        return Entry(int.Parse(f[0]), ulong.Parse(f[1]), int.Parse(f[2]), int.Parse(f[3]), f.Length > 4 ? f[4][0] : 'S');
    })];

    private static Func<int, bool> MarkedPids(params int[] pids) => pid => pids.Contains(pid);

    public static TheoryData<string, string, int[], int?> Scripts => new()
    {
        { "the recorded pid with its start time", "500/1000/500/100 600/900/600/100", [], 500 },
        { "the pid reused by another process (another start time)", "500/5000/500/100", [], null },
        { "the pid reused, even by a process that carries the marker", "500/5000/500/100", [500], null },
        { "the script has exited (a zombie)", "500/1000/500/100/Z", [500], null },
        { "the script is gone, a child of it in its group is not the script", "501/1001/500/100", [501], null },
    };

    [Theory]
    [MemberData(nameof(Scripts))]
    public void A_recorded_pid_is_the_script_only_with_the_same_start_time(string why, string processes, int[] marked, int? expected)
    {
        (ScriptLeftover.Script(Recorded, "boot-1", Table(processes), MarkedPids(marked))?.Pid).ShouldBe(expected, why);
    }

    [Fact]
    public void A_record_of_another_boot_names_nothing_even_when_pid_and_start_time_match()
    {
        ScriptLeftover.Script(Recorded, "boot-2", [Entry(500, 1000, 500)], MarkedPids(500)).ShouldBeNull();
    }

    public static TheoryData<string, string, int[], int?> Unrecorded => new()
    {
        { "the marked group leader in Lockstep's session", "700/2000/700/100 800/1500/800/100", [700], 700 },
        { "no process carries the marker", "700/2000/700/100", [], null },
        { "a marked process that is no group leader (a child)", "701/2001/700/100", [701], null },
        { "a marked setsid daemon (another session)", "702/2002/702/702", [702], null },
        { "the earliest of marked leaders: a later one is a group the script made (timeout)", "703/2003/703/100 700/2000/700/100", [700, 703], 700 },
        { "a marked leader that has exited", "700/2000/700/100/Z", [700], null },
    };

    [Theory]
    [MemberData(nameof(Unrecorded))]
    public void Without_a_recorded_pid_the_script_is_the_first_marked_group_leader_of_the_session(string why, string processes, int[] marked, int? expected)
    {
        var record = Recorded with { Pid = null, StartTicks = null };

        var script = ScriptLeftover.Script(record, "boot-1", Table(processes), MarkedPids(marked));

        (script?.Pid).ShouldBe(expected, why);
    }

    [Fact]
    public void A_timeout_ends_the_script_its_group_and_the_marked_processes_that_left_it_and_nothing_else()
    {
        var script = Entry(500, 1000, 500);
        ProcEntry[] table =
        [
            script,
            Entry(501, 1001, 500, parent: 500),            // a child in its group
            Entry(502, 1002, 502, session: 502),           // setsid, carries the marker
            Entry(503, 1003, 503),                         // its own group, carries the marker (timeout)
            Entry(504, 1004, 504),                         // unrelated
            Entry(505, 999, 500),                          // in a group numbered 500 before the script started: not its group
            Entry(506, 1006, 500, state: 'Z'),             // ended
            Entry(Self, 1, 500),                           // Lockstep itself, never
        ];

        var members = ScriptLeftover.Members(script, table, MarkedPids(502, 503, Self), Self);

        members.Select(e => e.Pid).ShouldBe([500, 501, 502, 503]);
    }

    [Fact]
    public void Once_the_script_has_gone_its_group_and_marked_processes_are_still_ended()
    {
        var script = Entry(500, 1000, 500);

        ScriptLeftover.Members(script, [Entry(501, 1001, 500), Entry(502, 1002, 502)], MarkedPids(502), Self)
            .Select(e => e.Pid).ShouldBe([501, 502]);
    }

    [Fact]
    public void The_marker_is_read_from_the_environment_a_process_started_with()
    {
        string marker = Guid.NewGuid().ToString("N");
        using var dir = new TempDir();
        var start = new System.Diagnostics.ProcessStartInfo("sleep", "30");
        start.Environment[ScriptRecordFile.MarkerVariable] = marker;
        using var marked = System.Diagnostics.Process.Start(start)!;
        try
        {
            ProcessTable.HasEnvironmentEntry(marked.Id, $"{ScriptRecordFile.MarkerVariable}={marker}").ShouldBeTrue();
            ProcessTable.HasEnvironmentEntry(marked.Id, $"{ScriptRecordFile.MarkerVariable}={marker[..^1]}").ShouldBeFalse("a prefix is not the marker");
            ProcessTable.HasEnvironmentEntry(Environment.ProcessId, $"{ScriptRecordFile.MarkerVariable}={marker}").ShouldBeFalse();
            ProcessTable.HasEnvironmentEntry(4194305, $"{ScriptRecordFile.MarkerVariable}={marker}").ShouldBeFalse("no such pid");
        }
        finally
        {
            marked.Kill();
            marked.WaitForExit();
        }
    }
}
