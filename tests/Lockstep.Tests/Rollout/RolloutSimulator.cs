using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Lockstep.Tests.Rollout;

/// <summary>
/// Runs a whole rollout: every host driven as its timer and boot-time unit would drive it, an
/// operator who fixes failed steps, faults from the seed, then the checker's verdict. See
/// docs/reliability.md.
/// </summary>
public sealed class RolloutSimulator
{
    private const int MaxRunsPerUpdate = 120;
    // needs_reboot is not among them: its non-zero exit means "reboot", not a failure.
    private static readonly string[] FailableSteps = ["pre_update", "update", "post_update"];

    private readonly RolloutSettings _settings;
    private readonly IRolloutEngine _engine;
    private readonly TextWriter _progress;
    private readonly string _run;
    private readonly string _root;
    private readonly TimelineWriter _timeline;
    private readonly ConcurrentQueue<string> _problems = new();
    private int _runs;

    private RolloutSimulator(RolloutSettings settings, IRolloutEngine engine, TextWriter progress)
    {
        _settings = settings;
        _engine = engine;
        _progress = progress;
        _run = string.Create(CultureInfo.InvariantCulture, $"{settings.Seed}-{Guid.NewGuid().ToString("N")[..6]}");
        string baseDir = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        _root = Path.Combine(baseDir, $"lockstep-rollout-{_run}");
        Directory.CreateDirectory(_root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _timeline = new TimelineWriter(Path.Combine(_root, "timeline"));
    }

    /// <summary>Where the hosts and the timeline are (kept when the rollout broke a promise, removed otherwise).</summary>
    public string Root => _root;

    public static async Task<RolloutReport> RunAsync(RolloutSettings settings, IRolloutEngine engine, TextWriter progress)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(progress);
        var simulator = new RolloutSimulator(settings, engine, progress);
        return await simulator.RunAsync();
    }

    private async Task<RolloutReport> RunAsync()
    {
        var s = _settings;
        _progress.WriteLine($"rollout seed {s.Seed}: {s.Hosts} hosts on {_engine.Name}, {s.Slots} slot(s), faults {(s.Faults ? "on" : "off")}, in {_root}");
        var random = new Random(s.Seed);
        string lockName = $"rollout-{_run}";
        var backend = await _engine.HostConfigAsync(lockName, s.Slots);
        var hosts = Enumerable.Range(1, s.Hosts)
            .Select(i => new SimulatedHost(_root, $"h{i:D3}", _timeline.Path, backend, lockName, random, s.ScriptWork))
            .ToList();
        int[] updates = [.. hosts.Select(_ => random.NextDouble() < s.SecondUpdateShare ? 2 : 1)];
        int[] seeds = [.. hosts.Select(_ => random.Next())];
        _engine.SetDelay(s.BaseDelay);

        var clock = Stopwatch.StartNew();
        using var deadline = new CancellationTokenSource(s.Deadline);
        using var chaosStop = new CancellationTokenSource();
        var chaos = s.Faults && s.EngineFaults ? ChaosAsync(new Random(random.Next()), chaosStop.Token) : Task.CompletedTask;
        using var permits = new SemaphoreSlim(s.Parallel);
        await Task.WhenAll(hosts.Select((h, i) => Task.Run(() => DriveAsync(h, updates[i], new Random(seeds[i]), permits, deadline.Token))));
        var wall = clock.Elapsed;
        await chaosStop.CancelAsync();
        await chaos;
        _engine.SetDelay(TimeSpan.Zero);

        var orphans = HostProcesses.Find(_run + "/");
        HostProcesses.KillAll(_run + "/");
        var facts = new RolloutFacts(
            s.Slots,
            _timeline.Read(),
            [.. hosts.Select((h, i) => h.Outcome(updates[i]))],
            await HoldersAsync(lockName),
            [.. orphans.Select(o => $"pid {o.Pid}: {o.Command}")],
            [.. _problems]);
        var report = new RolloutReport(_engine.Name, s, wall, _runs, facts, RolloutChecker.Check(facts));
        if (report.Holds || !s.KeepFiles)
        {
            Directory.Delete(_root, recursive: true);
        }
        else
        {
            _progress.WriteLine($"hosts, logs and timeline kept in {_root}");
        }

        return report;
    }

    /// <summary>One host through its updates: runs lockstep until each is finished, as timer, boot unit and operator would.</summary>
    private async Task DriveAsync(SimulatedHost host, int updates, Random random, SemaphoreSlim permits, CancellationToken ct)
    {
        var s = _settings;
        string marker = $"{_run}/{host.Name}";
        try
        {
            // Timers fire at different moments across a fleet.
            await Task.Delay(random.Next(Math.Min(3000, 20 * s.Hosts)), ct);
            for (int update = 1; update <= updates; update++)
            {
                if (update > 1)
                {
                    await Task.Delay(random.Next(2000), ct);
                }

                string? failStep = s.Faults && random.NextDouble() < s.FailShare ? FailableSteps[random.Next(FailableSteps.Length)] : null;
                host.Ask(update, random.NextDouble() < s.RebootShare, failStep);
                if (!await UpdateAsync(host, update, marker, random, permits, ct))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            HostProcesses.KillAll(marker);
            _problems.Enqueue($"{host.Name}: not finished within the deadline of {s.Deadline.TotalSeconds:F0} s");
        }
    }

    /// <summary>Runs lockstep on the host until update <paramref name="update"/> is finished; false when the host had to be given up.</summary>
    private async Task<bool> UpdateAsync(SimulatedHost host, int update, string marker, Random random, SemaphoreSlim permits, CancellationToken ct)
    {
        var s = _settings;
        bool afterReboot = false;
        for (int run = 1; run <= MaxRunsPerUpdate; run++)
        {
            var kill = s.Faults && random.NextDouble() < s.KillShare
                ? new KillPlan(TimeSpan.FromMilliseconds(random.Next(1500)), random.NextDouble() < s.KillAtStateWriteShare)
                : null;
            // A host that holds the lock never queues behind hosts that wait for it (a fleet's hosts run side by side).
            bool queue = host.StateStep is null or "lock_get" && !afterReboot;
            if (queue)
            {
                await permits.WaitAsync(ct);
            }

            HostRunResult result;
            Interlocked.Increment(ref _runs);
            try
            {
                result = await HostRun.RunAsync(s.Binary, host, marker, afterReboot, kill, ct);
            }
            finally
            {
                if (queue)
                {
                    permits.Release();
                }
            }

            string where = $"{host.Name}: update {update}, run {run}{(afterReboot ? " (--after-reboot)" : "")}";
            if (result.KilledAs is { } kind)
            {
                _timeline.Add(host.Name, update, TimelineEvent.Kill, kind);
                afterReboot = false;
                await Task.Delay(random.Next(300), ct);
                continue;
            }

            switch (result.ExitCode)
            {
                case 0 when host.Finished(update):
                    return true;
                case 0 when afterReboot:
                    afterReboot = false;
                    break;
                case 0:
                    _problems.Enqueue($"{where}: exit 0 but the update is not finished (done {host.Done}, state {host.StateStep ?? "none"})");
                    return false;
                case 1 when host.FailingStep is { } step:
                    await Task.Delay(random.Next(500), ct);
                    host.Fix(step);
                    _timeline.Add(host.Name, update, TimelineEvent.Fix, step);
                    break;
                case 4 or 11:
                    await Task.Delay(100 + random.Next(500), ct);
                    break;
                case 5:
                    afterReboot = !afterReboot;
                    break;
                default:
                    _problems.Enqueue($"{where}: exit {result.ExitCode} that no fault explains: {result.StderrTail}");
                    return false;
            }
        }

        _problems.Enqueue($"{host.Name}: update {update} not finished after {MaxRunsPerUpdate} runs");
        return false;
    }

    /// <summary>Engine faults at random moments until the fleet is done; each fault recovers before the next.</summary>
    private async Task ChaosAsync(Random random, CancellationToken ct)
    {
        var kinds = _engine.FaultKinds;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(_settings.EngineFaultEvery * (0.5 + random.NextDouble())), ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            string kind = kinds[random.Next(kinds.Count)];
            _timeline.Add("-", 0, TimelineEvent.Fault, kind);
            if (kind == RolloutFaults.SlowAnswers)
            {
                _engine.SetDelay(_settings.BaseDelay + TimeSpan.FromMilliseconds(50 + random.Next(250)));
                await Task.Delay(TimeSpan.FromMilliseconds(1000 + random.Next(1000)), CancellationToken.None);
                _engine.SetDelay(_settings.BaseDelay);
                continue;
            }

            try
            {
                await _engine.InjectAsync(kind, random, CancellationToken.None);
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException or HttpRequestException)
            {
                // A restarted server slow to answer its readiness probe (a starved machine) is still
                // starting: the hosts meet it as unreachable meanwhile. The next fault goes on.
                _progress.WriteLine($"{kind}: {e.Message.Split('\n')[0]}; going on");
            }
        }
    }

    /// <summary>The lock's holders at the end, asked again while the engine is still recovering.</summary>
    private async Task<IReadOnlyList<string>> HoldersAsync(string lockName)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await _engine.HoldersAsync(lockName);
            }
            catch (Exception e) when (attempt < 20)
            {
                _progress.WriteLine($"reading the holders: {e.Message}; again");
                await Task.Delay(500);
            }
        }
    }
}
