using System.Globalization;
using Lockstep.Tests.Support;
using Xunit.Abstractions;

namespace Lockstep.Tests.Rollout;

/// <summary>The rollouts start their own engines and kill them: one at a time, apart from the shared servers.</summary>
[CollectionDefinition(Name)]
public sealed class RolloutCollection
{
    public const string Name = "rollout";
}

/// <summary>
/// A whole fleet rolled out by the real lockstep on each engine that can hold a fleet, with faults
/// on, at a size that costs about a minute or two; any violation fails the test with the report
/// and the seed (set LOCKSTEP_ROLLOUT_SEED to replay one).
/// </summary>
[Collection(RolloutCollection.Name)]
public sealed class RolloutTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_fleet_rolled_out_on_etcd_while_hosts_are_killed_and_members_fail_keeps_every_promise()
    {
        await using var engine = await EtcdRolloutEngine.StartAsync();
        await RollOutKeepingEveryPromiseAsync(CiSize(slots: 3), engine);
    }

    [Fact]
    public async Task A_fleet_rolled_out_on_postgres_while_hosts_are_killed_and_the_server_restarts_keeps_every_promise()
    {
        await using var engine = await PostgresRolloutEngine.StartAsync();
        await RollOutKeepingEveryPromiseAsync(CiSize(slots: 3) with { Hosts = 32 }, engine);
    }

    [Fact]
    public async Task A_fleet_rolled_out_through_lockstep_serve_on_etcd_while_hosts_servers_and_members_fail_keeps_every_promise()
    {
        await using var engine = await ServeRolloutEngine.StartAsync();
        // An engine fault every second or so: this fleet finishes in about ten seconds, and the server's restart should be among them.
        await RollOutKeepingEveryPromiseAsync(CiSize(slots: 3) with { Hosts = 32, EngineFaultEvery = 1 }, engine);
    }

    /// <summary>Rolls the fleet out and fails on any violation, on an update left undone or on a rollout without faults, printing the report.</summary>
    private async Task RollOutKeepingEveryPromiseAsync(RolloutSettings settings, IRolloutEngine engine)
    {
        var report = await RolloutSimulator.RunAsync(settings, engine, new OutputWriter(output));

        output.WriteLine(report.ToString());
        report.Verdict.Violations.ShouldBeEmpty(report.ToString());
        report.Facts.Hosts.Sum(h => h.UpdatesDone).ShouldBe(report.Facts.Hosts.Sum(h => h.UpdatesAsked));
        report.Faults.Values.Sum().ShouldBeGreaterThan(0, report.ToString());
    }

    /// <summary>The CI size: a seed that is printed (or LOCKSTEP_ROLLOUT_SEED), 40 hosts, faults on with an engine fault every two seconds or so, five minutes at most.</summary>
    internal static RolloutSettings CiSize(int slots, string? binary = null) =>
        new(40, slots, Seed(), binary ?? LockstepCli.Binary) { Parallel = 16, EngineFaultEvery = 2, Deadline = TimeSpan.FromMinutes(5) };

    internal static int Seed() =>
        Environment.GetEnvironmentVariable("LOCKSTEP_ROLLOUT_SEED") is { Length: > 0 } given
            ? int.Parse(given, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
}

/// <summary>The simulator's progress lines into the test's output.</summary>
internal sealed class OutputWriter(ITestOutputHelper output) : StringWriter(CultureInfo.InvariantCulture)
{
    public override void WriteLine(string? value) => output.WriteLine(value ?? "");
}
