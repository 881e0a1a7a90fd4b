namespace Lockstep.Tests.Rollout;

/// <summary>
/// The checker catches what it claims to: a test build of lockstep with one defect compiled in
/// rolls out a small fleet, and the checker reports the broken promise. Faults that would only
/// blur the picture are off; the delaying proxy widens the window between a read and a write, as
/// a slow network does.
/// </summary>
[Collection(RolloutCollection.Name)]
public sealed class CheckerCatchesDefectsTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public Task Without_compare_and_swap_on_etcd_the_checker_reports_more_hosts_in_their_update_than_slots() =>
        ReportsMoreHostsThanSlotsAsync(async () => await EtcdRolloutEngine.StartAsync());

    [Fact]
    public Task Without_the_row_lock_on_postgres_the_checker_reports_more_hosts_in_their_update_than_slots() =>
        ReportsMoreHostsThanSlotsAsync(async () => await PostgresRolloutEngine.StartAsync());

    [Fact]
    public async Task With_the_state_written_in_place_a_kill_during_the_write_is_reported_as_an_unreadable_state_file()
    {
        string binary = await FaultBuild.BinaryAsync(FaultBuild.TornState);
        await using var engine = await EtcdRolloutEngine.StartAsync();
        var settings = new RolloutSettings(8, 2, RolloutTests.Seed(), binary)
        {
            Parallel = 8, KillShare = 0.5, KillAtStateWriteShare = 1, FailShare = 0, EngineFaults = false, SecondUpdateShare = 0, KeepFiles = false,
            Deadline = TimeSpan.FromMinutes(2),
        };

        var report = await RolloutSimulator.RunAsync(settings, engine, new OutputWriter(output));

        output.WriteLine(report.ToString());
        report.Faults.GetValueOrDefault(RolloutFaults.KillAtStateWrite).ShouldBeGreaterThan(0, report.ToString());
        report.Verdict.Violations.ShouldContain(v => v.Contains("state file unreadable"), report.ToString());
    }

    private async Task ReportsMoreHostsThanSlotsAsync(Func<Task<IRolloutEngine>> start)
    {
        string binary = await FaultBuild.BinaryAsync(FaultBuild.LockDefects);
        await using var engine = await start();

        var report = await RolloutSimulator.RunAsync(Racing(binary), engine, new OutputWriter(output));

        output.WriteLine(report.ToString());
        report.Verdict.PeakConcurrency.ShouldBeGreaterThan(1, report.ToString());
        report.Verdict.Violations.ShouldContain(v => v.Contains("hosts in their update with 1 slot(s)"), report.ToString());
    }

    /// <summary>Twelve hosts on one slot, all starting together, every answer 40 ms late, no other fault.</summary>
    private static RolloutSettings Racing(string binary) => new(12, 1, RolloutTests.Seed(), binary)
    {
        Faults = false, Parallel = 12, BaseDelay = TimeSpan.FromMilliseconds(40), SecondUpdateShare = 0.5, KeepFiles = false, Deadline = TimeSpan.FromMinutes(2),
    };
}
