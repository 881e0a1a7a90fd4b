using System.Diagnostics;
using System.Globalization;
using Lockstep.Config;
using Lockstep.Locks;
using Lockstep.Logging;
using Lockstep.Tests.Support.Servers;

// Acquire+release latency and contention throughput of the etcd and PostgreSQL lock backends,
// against servers started here on 127.0.0.1. Prints Markdown rows for docs/benchmarks.md.
const int Warmup = 50, Samples = 1000, Clients = 8, Slots = 2;
var contention = TimeSpan.FromSeconds(args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 10);

Console.WriteLine("| backend | acquire+release median | p99 | contention: clients, slots, cycles/s | held-by-other answers/s | calls given up (contention) |");
Console.WriteLine("|---|---|---|---|---|---|");

await using (var cluster = await EtcdCluster.StartAsync(3))
{
    string ini = $"[main]\nbackend = etcd\n[etcd]\nendpoints = {cluster.EndpointsSetting}\nslots = {Slots}\n";
    await MeasureAsync("etcd 3 members", () => LockBackendFactory.Create(Context(ini)));
}

await using (var server = await PostgresServer.StartAsync())
{
    string ini = $"[main]\nbackend = postgres\n[postgres]\nconnection = {server.ConnectionString()}\nslots = {Slots}\n";
    await MeasureAsync("PostgreSQL", () => LockBackendFactory.Create(Context(ini)));
}

async Task MeasureAsync(string name, Func<ILockBackend> create)
{
    var backend = create();
    var latencies = new List<double>(Samples);
    for (int i = 0; i < Warmup + Samples; i++)
    {
        long start = Stopwatch.GetTimestamp();
        await backend.AcquireAsync("bench-latency", "bench-host", default);
        await backend.ReleaseAsync("bench-latency", "bench-host", default);
        if (i >= Warmup)
        {
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    }

    latencies.Sort();
    double Percentile(double p) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];

    long cycles = 0, refusals = 0, giveUps = 0;
    long end = Stopwatch.GetTimestamp() + (long)(contention.TotalSeconds * Stopwatch.Frequency);
    await Task.WhenAll(Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
    {
        var client = create();
        var random = new Random(c);
        while (Stopwatch.GetTimestamp() < end)
        {
            try
            {
                await client.AcquireAsync("bench-contention", $"client-{c}", default);
            }
            catch (LockException e) when (e.Kind == LockErrorKind.HeldByOther)
            {
                Interlocked.Increment(ref refusals);
                await Task.Delay(random.Next(1, 5));
                continue;
            }
            catch (LockException e) when (e.Kind == LockErrorKind.Unreachable)
            {
                Interlocked.Increment(ref giveUps);
                continue;
            }

            while (true)
            {
                try
                {
                    await client.ReleaseAsync("bench-contention", $"client-{c}", default);
                    break;
                }
                catch (LockException e) when (e.Kind == LockErrorKind.Unreachable)
                {
                    Interlocked.Increment(ref giveUps);
                }
            }

            Interlocked.Increment(ref cycles);
        }
    })));

    double seconds = contention.TotalSeconds;
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"| {name} | {Percentile(0.5):0.00} ms | {Percentile(0.99):0.00} ms | {Clients}, {Slots}, {cycles / seconds:0} | {refusals / seconds:0} | {giveUps} |"));
}

static LockBackendContext Context(string ini) =>
    new(IniFile.Parse("bench.ini", ini), "bench-host", TimeSpan.FromSeconds(5), new StreamLog(Stream.Null, "bench", LogLevel.Critical, TimeProvider.System), TimeProvider.System);
