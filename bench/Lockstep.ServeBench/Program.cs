using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Lockstep.Tests.Support.Servers;

// FleetLock servers under load: 32 clients (each its own connection, as hosts would be) loop
// pre-reboot then steady-state on one group of 2 slots; a refused pre-reboot (500 failed_lock)
// waits 1-4 ms and asks again. `lockstep serve` on etcd and on PostgreSQL and, given its binary,
// airlock on the same etcd in the same run. Prints Markdown rows for docs/benchmarks.md.
// Usage: Lockstep.ServeBench LOCKSTEP_BINARY [SECONDS] [AIRLOCK_BINARY]
const int Clients = 32, Slots = 2;
string lockstep = args.Length > 0 ? Path.GetFullPath(args[0]) : throw new ArgumentException("give the lockstep binary");
var duration = TimeSpan.FromSeconds(args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10);
string? airlock = args.Length > 2 ? Path.GetFullPath(args[2]) : null;
string work = Directory.CreateTempSubdirectory("lockstep-servebench-").FullName;

Console.WriteLine($"| server | store | clients, slots | cycles/s | cycle p50 | cycle p99 | request p50 | request p99 | failed_lock answers/s | other errors |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
try
{
    await using (var cluster = await EtcdCluster.StartAsync(3))
    {
        await using (var server = await BenchServer.LockstepAsync(lockstep, work, "etcd", $"[etcd]\nendpoints = {cluster.EndpointsSetting}\n"))
        {
            Report("lockstep serve", "etcd, 3 members", await Load.RunAsync(server.Url, "bench", Clients, duration));
        }

        if (airlock is not null)
        {
            await using var server = await BenchServer.AirlockAsync(airlock, work, cluster.EndpointsSetting);
            Report("airlock", "etcd, 3 members", await Load.RunAsync(server.Url, "bench", Clients, duration));
        }
    }

    await using (var postgres = await PostgresServer.StartAsync())
    {
        await using var server = await BenchServer.LockstepAsync(lockstep, work, "postgres", $"[postgres]\nconnection = {postgres.ConnectionString()}\n");
        Report("lockstep serve", "PostgreSQL", await Load.RunAsync(server.Url, "bench", Clients, duration));
    }
}
finally
{
    Directory.Delete(work, recursive: true);
}

void Report(string server, string store, LoadResult r) => Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"| {server} | {store} | {Clients}, {Slots} | {r.Cycles / duration.TotalSeconds:0} | {r.Cycle(0.5):0.0} ms | {r.Cycle(0.99):0.0} ms | {r.Request(0.5):0.0} ms | {r.Request(0.99):0.0} ms | {r.Refusals / duration.TotalSeconds:0} | {r.Errors} |"));

internal sealed record LoadResult(long Cycles, long Refusals, long Errors, List<double> CycleMs, List<double> RequestMs)
{
    public double Cycle(double p) => Percentile(CycleMs, p);

    public double Request(double p) => Percentile(RequestMs, p);

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}

internal static class Load
{
    public static async Task<LoadResult> RunAsync(string url, string group, int clients, TimeSpan duration)
    {
        long cycles = 0, refusals = 0, errors = 0;
        var cycleMs = new List<double>();
        var requestMs = new List<double>();
        long end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { Timeout = TimeSpan.FromSeconds(30) };
            var random = new Random(c);
            string body = $"{{\"client_params\":{{\"id\":\"bench-{c:00}\",\"group\":\"{group}\"}}}}";
            var mine = new List<double>();
            var myCycles = new List<double>();
            async Task<HttpStatusCode> Call(string endpoint)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"{url}/v1/{endpoint}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.Add("fleet-lock-protocol", "true");
                long start = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                await response.Content.ReadAsByteArrayAsync();
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                return response.StatusCode;
            }

            while (Stopwatch.GetTimestamp() < end)
            {
                long start = Stopwatch.GetTimestamp();
                var taken = await Call("pre-reboot");
                if (taken == HttpStatusCode.InternalServerError)
                {
                    Interlocked.Increment(ref refusals);
                    await Task.Delay(random.Next(1, 5));
                    continue;
                }

                if (taken != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref errors);
                    continue;
                }

                while (await Call("steady-state") != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref errors);
                }

                myCycles.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                Interlocked.Increment(ref cycles);
            }

            lock (requestMs)
            {
                requestMs.AddRange(mine);
                cycleMs.AddRange(myCycles);
            }
        })));
        cycleMs.Sort();
        requestMs.Sort();
        return new LoadResult(cycles, refusals, errors, cycleMs, requestMs);
    }
}

/// <summary>A server under load: its process, killed at the end, and its base URL.</summary>
internal sealed class BenchServer(Process process, string url) : IAsyncDisposable
{
    public string Url { get; } = url;

    public async ValueTask DisposeAsync()
    {
        process.Kill();
        await process.WaitForExitAsync();
        process.Dispose();
    }

    /// <summary>`lockstep serve` with a 2-slot group on a store, on a free port; waits until it answers.</summary>
    public static Task<BenchServer> LockstepAsync(string binary, string work, string backend, string section)
    {
        int port = FreePorts.Take(1)[0];
        string config = Path.Combine(work, $"serve-{backend}.ini");
        File.WriteAllText(config, $"[serve]\nlisten = 127.0.0.1:{port}\nbackend = {backend}\n[group bench]\nslots = 2\n{section}");
        File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return StartAsync(new ProcessStartInfo(binary) { ArgumentList = { "serve", "--config", config, "--log-level", "ERROR" } }, port, "/-/ready");
    }

    /// <summary>airlock, built by hand from its own source, on the same etcd with the same 2-slot group.</summary>
    public static Task<BenchServer> AirlockAsync(string binary, string work, string endpoints)
    {
        int port = FreePorts.Take(1)[0];
        string config = Path.Combine(work, "airlock.toml");
        string list = string.Join(", ", endpoints.Split(',').Select(e => $"\"{e}\""));
        File.WriteAllText(config, $"""
            [service]
            address = "127.0.0.1"
            port = {port}
            tls = false

            [status]
            enabled = false

            [etcd3]
            endpoints = [ {list} ]

            [lock]
            default_group_name = "default"
            default_slots = 1

            [[lock.groups]]
            name = "bench"
            slots = 2
            """);
        return StartAsync(new ProcessStartInfo(binary) { ArgumentList = { "serve", "-c", config }, RedirectStandardError = true }, port, "/v1/steady-state");
    }

    private static async Task<BenchServer> StartAsync(ProcessStartInfo info, int port, string probe)
    {
        var process = Process.Start(info)!;
        if (info.RedirectStandardError)
        {
            // airlock logs every request: read and drop it, so a full pipe never blocks it.
            process.ErrorDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
        }

        string url = $"http://127.0.0.1:{port}";
        await Ready.WaitAsync(url + probe, process);
        return new BenchServer(process, url);
    }
}

internal static class Ready
{
    public static async Task WaitAsync(string url, Process process)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (int i = 0; i < 300; i++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.StartInfo.FileName} exited with {process.ExitCode}");
            }

            try
            {
                using var response = await http.GetAsync(url);
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"{url} did not answer");
    }
}
