using System.Text.Json;
using Lockstep.Tests.Support;
using static Lockstep.Tests.Locks.LockCommandTests;

namespace Lockstep.Tests.Engines;

/// <summary>
/// <c>lockstep lock</c> through the command line on an engine that keeps a semaphore of slots (etcd,
/// PostgreSQL): status shows every holder and the slots, acquire on a full lock names the holders,
/// and settings the engine cannot use are named with a documented exit status.
/// </summary>
public abstract class SemaphoreLockCommandScenarios : IDisposable
{
    private readonly TempDir _dir = new();

    protected string LockName { get; } = LockContexts.UniqueLockName("ops");

    /// <summary>The backend's name in <c>[main] backend</c>, also its section's name.</summary>
    protected abstract string Backend { get; }

    /// <summary>The keys of the backend's section that reach the running engine (without slots).</summary>
    protected abstract string Reachable { get; }

    /// <summary>The same keys pointing where nothing answers.</summary>
    protected abstract string Unreachable { get; }

    /// <summary>How the backend names the engine in messages.</summary>
    protected abstract string Server { get; }

    public void Dispose()
    {
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public void Status_shows_every_holder_and_the_slots_and_acquire_on_a_full_lock_names_the_holders()
    {
        string a = Config("web-a"), b = Config("web-b"), c = Config("web-c");

        var free = Lock("status", a);
        free.ExitCode.ShouldBe(0, free.ToString());
        free.Stdout.ShouldBe($"lock: {LockName}\nbackend: {Backend} ({Server})\nholders: none\nslots: 2\n");
        Lock("release", a).Stdout.ShouldBe($"lock {LockName} on {Server} is not held by web-a: nothing released\n");

        Lock("acquire", a).Stdout.ShouldBe($"acquired lock {LockName} on {Server} for web-a\n");
        Lock("acquire", b).ExitCode.ShouldBe(0);
        Lock("acquire", a).ExitCode.ShouldBe(0);
        var full = Lock("acquire", c);
        full.ExitCode.ShouldBe(1, full.ToString());
        full.Stdout.ShouldBeEmpty();
        OneErrorLine(full).ShouldEndWith($"lock acquire ERROR: all 2 slot(s) of '{LockName}' in {Server} are held by web-a, web-b");

        Lock("status", b).Stdout.ShouldBe($"lock: {LockName}\nbackend: {Backend} ({Server})\nholders: web-a, web-b (this host)\nslots: 2\n");
        using (var json = JsonDocument.Parse(Lock("status", c, "--json").Stdout))
        {
            json.RootElement.GetProperty("holders").GetRawText().ShouldBe("""[{"id":"web-a","self":false},{"id":"web-b","self":false}]""");
            json.RootElement.GetProperty("holders_known").GetBoolean().ShouldBeTrue();
            json.RootElement.GetProperty("slots").GetInt32().ShouldBe(2);
            json.RootElement.GetProperty("backend").GetString().ShouldBe(Backend);
        }

        Lock("release", a).Stdout.ShouldBe($"released lock {LockName} on {Server} for web-a\n");
        Lock("release", c).Stdout.ShouldBe($"lock {LockName} on {Server} is held by web-b, not by this host: nothing released\n");
        Lock("acquire", c).ExitCode.ShouldBe(0);
        Lock("status", a).Stdout.ShouldContain("holders: web-b, web-c\n");
    }

    [Fact]
    public void An_engine_that_cannot_be_reached_exits_3_with_one_line_naming_it()
    {
        string config = Config("web-a", Unreachable);

        foreach (string action in new[] { "status", "acquire", "release" })
        {
            var result = Lock(action, config);
            result.ExitCode.ShouldBe(3, result.ToString());
            OneErrorLine(result).ShouldContain($"[{Backend}]");
            result.Stdout.ShouldBeEmpty();
        }
    }

    [Fact]
    public void Slots_of_0_exit_2_naming_the_setting()
    {
        string config = Config("web-a", slots: 0);

        var result = Lock("acquire", config);

        result.ExitCode.ShouldBe(2, result.ToString());
        OneErrorLine(result).ShouldContain($"{config}:9: [{Backend}] slots = '0' is not a whole number 1 or more; fix the value");
    }

    [Fact]
    public void A_slots_setting_that_differs_from_the_stored_count_earns_one_warning_naming_both_and_the_fix()
    {
        string two = Config("web-a", slots: 2);
        Lock("acquire", two).ExitCode.ShouldBe(0);
        string three = Config("web-b", slots: 3), one = Config("web-c", slots: 1);

        var agreeing = Lock("status", two);
        var unset = Lock("status", Config("web-b", slots: null));
        var status = Lock("status", three);
        Lock("acquire", three).ExitCode.ShouldBe(0);
        var full = Lock("acquire", one);

        agreeing.Stderr.ShouldBeEmpty();
        unset.Stderr.ShouldBeEmpty();
        status.ExitCode.ShouldBe(0, status.ToString());
        status.Stdout.ShouldEndWith("slots: 2\n");
        string warning = OneErrorLine(status);
        warning.ShouldContain(" WARN: ");
        warning.ShouldContain($"{three}:9: [{Backend}] slots = 3, but ");
        warning.ShouldEndWith($" has total_slots 2: 2 is in force (slots is used only when a group is created); change the group with 'lockstep lock slots 3 --config {three}', or set slots = 2");
        full.ExitCode.ShouldBe(1, full.ToString());
        full.Stderr.Split('\n').Count(l => l.Contains(" WARN: ", StringComparison.Ordinal)).ShouldBe(1, full.ToString());
        full.Stderr.ShouldContain($"{one}:9: [{Backend}] slots = 1, but ");
        full.Stderr.ShouldContain("'lockstep lock slots 1 --config ");
    }

    /// <summary>Runs <c>lockstep lock ACTION --config CONFIG ARGS</c>.</summary>
    protected static CliResult Lock(string action, string config, params string[] args) =>
        LockstepCli.Run(["lock", action, "--config", config, .. args]);

    /// <summary>A config for <paramref name="holder"/>: the backend's keys (<see cref="Reachable"/> unless given) then slots on line 9 (none when null).</summary>
    protected string Config(string holder, string? keys = null, int? slots = 2) =>
        _dir.File($"{holder}-{Guid.NewGuid():N}.ini", $"""
            [main]
            backend = {Backend}
            lock_name = {LockName}
            holder_id = {holder}
            http_timeout = 2

            [{Backend}]
            {keys ?? Reachable}
            {(slots is { } n ? $"slots = {n}" : "")}
            """);
}
