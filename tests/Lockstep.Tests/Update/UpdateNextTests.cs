using Lockstep.Logging;
using Lockstep.Update;

namespace Lockstep.Tests.Update;

/// <summary><see cref="UpdateTransitions.Next"/> for every step, every fact and both kinds of post_update: what follows, or that the step cannot report it.</summary>
public sealed class UpdateNextTests
{
    private static readonly DateTimeOffset At = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);
    private static readonly PendingReboot Reboot = new("b1", At);

    private const string Done = "stop 0 Info";
    private const string Failed = "stop 1 Error";
    private const string LockFailed = "stop 4 Error";
    private const string Interrupted = "stop 143 Error";

    /// <summary>"STEP FACT" (STEP+ when a reboot is awaited) and what must follow; every other pair is refused.</summary>
    private static readonly Dictionary<string, string> Expected = new(StringComparer.Ordinal)
    {
        ["needs_update NoScripts"] = Done,
        ["needs_update ScriptsPassed"] = Done,
        ["needs_update ScriptSaidYes"] = "lock_get",
        ["needs_update Interrupted"] = Interrupted,
        ["lock_get LockAcquired"] = "pre_update",
        ["lock_get OutsideWindow"] = "stop 6 Warn",
        ["lock_get LockFailed"] = LockFailed,
        ["lock_get Interrupted"] = Interrupted,
        ["pre_update ScriptsPassed"] = "update",
        ["pre_update ScriptFailed"] = Failed,
        ["pre_update LockFailed"] = LockFailed,
        ["pre_update Interrupted"] = Interrupted,
        ["update ScriptsPassed"] = "needs_reboot",
        ["update ScriptFailed"] = Failed,
        ["update LockFailed"] = LockFailed,
        ["update Interrupted"] = Interrupted,
        ["needs_reboot NoScripts"] = "reboot",
        ["needs_reboot ScriptSaidYes"] = "reboot",
        ["needs_reboot ScriptsPassed"] = "post_update",
        ["needs_reboot LockFailed"] = LockFailed,
        ["needs_reboot Interrupted"] = Interrupted,
        ["reboot BootIdRecorded"] = "post_update, then reboot_cmd",
        ["reboot LockFailed"] = LockFailed,
        ["reboot Interrupted"] = Interrupted,
        ["post_update ScriptsPassed"] = "lock_release",
        ["post_update ScriptFailed"] = Failed,
        ["post_update LockFailed"] = LockFailed,
        ["post_update Interrupted"] = Interrupted,
        ["post_update+ RebootObserved"] = "post_update",
        ["post_update+ RebootPending"] = "reboot",
        ["post_update+ RebootAwaited"] = "stop 5 Error",
        ["post_update+ RebootReturned"] = "stop 5 Warn",
        ["post_update+ RebootFailed"] = Failed,
        ["post_update+ Interrupted"] = Interrupted,
        ["lock_release LockReleased"] = "needs_update",
        ["lock_release LockFailed"] = LockFailed,
        ["lock_release Interrupted"] = Interrupted,
    };

    public static TheoryData<UpdateStep, bool, UpdateFactKind> AllPairs()
    {
        var data = new TheoryData<UpdateStep, bool, UpdateFactKind>();
        foreach (var step in UpdateSteps.All)
        {
            foreach (bool awaitsReboot in step == UpdateStep.PostUpdate ? new[] { false, true } : [false])
            {
                foreach (var fact in Enum.GetValues<UpdateFactKind>())
                {
                    data.Add(step, awaitsReboot, fact);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Each_fact_leads_where_the_table_says_or_is_refused(UpdateStep step, bool awaitsReboot, UpdateFactKind kind)
    {
        var state = new UpdateState(step, At, "fleet", "me", awaitsReboot ? Reboot : null);
        var fact = new UpdateFact(kind) { Signal = kind == UpdateFactKind.Interrupted ? 15 : 0, Reboot = kind == UpdateFactKind.BootIdRecorded ? Reboot : null };
        string key = $"{step.Name()}{(awaitsReboot ? "+" : "")} {kind}";

        if (Expected.TryGetValue(key, out string? expected))
        {
            var decision = UpdateTransitions.Next(state, fact);
            Describe(decision).ShouldBe(expected, key);
            if (decision.To is { } to)
            {
                UpdateTransitions.IsAllowed(step, to).ShouldBeTrue(key);
                UpdateTransitions.Move(state, to, At, fact.Reboot).Step.ShouldBe(to);
            }
        }
        else
        {
            Should.Throw<InvalidOperationException>(() => UpdateTransitions.Next(state, fact), key);
        }
    }

    [Fact]
    public void The_facts_reach_every_move_of_the_table_and_no_other()
    {
        var reached = Expected
            .Where(e => !e.Value.StartsWith("stop ", StringComparison.Ordinal))
            .Select(e => $"{e.Key.Split(' ')[0].TrimEnd('+')} -> {e.Value.Split(',')[0]}")
            .Distinct()
            .Order(StringComparer.Ordinal);

        reached.ShouldBe(UpdateTransitions.Table.Select(m => $"{m.From.Name()} -> {m.To.Name()}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Recording_the_reboot_needs_the_boot_id()
    {
        var state = new UpdateState(UpdateStep.Reboot, At, "fleet", "me");

        Should.Throw<InvalidOperationException>(() => UpdateTransitions.Next(state, new UpdateFact(UpdateFactKind.BootIdRecorded)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(15)]
    public void An_interrupted_run_exits_with_128_plus_the_signal(int signal) =>
        UpdateTransitions.Next(new UpdateState(UpdateStep.Update), UpdateFact.Interrupted(UpdateStep.Update, signal)).ExitCode.ShouldBe(128 + signal);

    private static string Describe(UpdateDecision decision) => decision.To is { } to
        ? to.Name() + (decision.RunsRebootCommand ? ", then reboot_cmd" : "")
        : $"stop {decision.ExitCode} {decision.Level}";
}
