namespace Lockstep.Tests.Support.Servers;

/// <summary>
/// A real etcd cluster of several members on 127.0.0.1 (free ports, data on tmpfs), for tests and
/// benchmarks. Members can be stopped and started again to exercise failover.
/// </summary>
public sealed class EtcdCluster : IAsyncDisposable
{
    public const string Binary = "/usr/bin/etcd";

    private readonly string _runDirectory;
    private readonly Member[] _members;
    private readonly string _initialCluster;

    private EtcdCluster(string runDirectory, Member[] members)
    {
        _runDirectory = runDirectory;
        _members = members;
        _initialCluster = string.Join(",", members.Select(m => $"{m.Name}={m.PeerUrl}"));
    }

    /// <summary>Client URLs, member 0 first.</summary>
    public IReadOnlyList<string> Endpoints => _members.Select(m => m.ClientUrl).ToList();

    public string EndpointsSetting => string.Join(",", Endpoints);

    public static async Task<EtcdCluster> StartAsync(int size = 3, EtcdTls? tls = null)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: install etcd-server (./tools/test does)");
        }

        string runDirectory = ServerRuns.NewRunDirectory("etcd");
        int[] ports = FreePorts.Take(size * 2);
        var members = Enumerable.Range(0, size)
            .Select(i => new Member($"m{i}", $"{(tls is null ? "http" : "https")}://127.0.0.1:{ports[2 * i]}", $"http://127.0.0.1:{ports[(2 * i) + 1]}", Path.Combine(runDirectory, $"m{i}")))
            .ToArray();
        var cluster = new EtcdCluster(runDirectory, members) { Tls = tls };
        try
        {
            for (int i = 0; i < size; i++)
            {
                cluster.Launch(i);
            }

            await Task.WhenAll(Enumerable.Range(0, size).Select(cluster.WaitReadyAsync));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>When set, members serve clients over TLS only.</summary>
    public EtcdTls? Tls { get; private init; }

    /// <summary>Kills member <paramref name="index"/> at once, as a crash would.</summary>
    public async Task StopMemberAsync(int index)
    {
        if (_members[index].Process is { } process)
        {
            await process.StopAsync(9, TimeSpan.FromSeconds(5));
            process.Dispose();
            _members[index].Process = null;
        }
    }

    /// <summary>Starts a stopped member again on its data and waits until it serves.</summary>
    public async Task StartMemberAsync(int index)
    {
        Launch(index);
        await WaitReadyAsync(index);
    }

    public string ClientUrl(int index) => _members[index].ClientUrl;

    public int MemberPid(int index) => _members[index].Process?.Pid ?? throw new InvalidOperationException($"etcd member {index} is stopped");

    public async ValueTask DisposeAsync()
    {
        foreach (var member in _members)
        {
            member.Process?.Dispose();
            member.Process = null;
        }

        await Task.Yield();
        ServerRuns.Remove(_runDirectory);
    }

    private void Launch(int index)
    {
        var m = _members[index];
        string clientUrl = m.ClientUrl;
        string[] args =
        [
            "--name", m.Name, "--data-dir", m.DataDir,
            "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
            "--listen-peer-urls", m.PeerUrl, "--initial-advertise-peer-urls", m.PeerUrl,
            "--initial-cluster", _initialCluster, "--initial-cluster-state", "new",
            "--initial-cluster-token", Path.GetFileName(_runDirectory),
            // Fast elections keep start-up and failover within a second or two.
            "--heartbeat-interval", "50", "--election-timeout", "500",
            "--logger", "zap", "--log-level", "warn",
            .. Tls?.ServerArgs ?? [],
        ];
        m.Process = ServerProcess.Start(_runDirectory, $"{m.Name}.log", Binary, args);
    }

    private async Task WaitReadyAsync(int index)
    {
        var m = _members[index];
        using var http = new HttpClient(Tls?.ProbeHandler() ?? new HttpClientHandler()) { Timeout = TimeSpan.FromSeconds(1) };
        var deadline = DateTime.UtcNow.AddSeconds(20);
        string url = m.ClientUrl + "/health";
        while (DateTime.UtcNow < deadline)
        {
            if (m.Process is null || m.Process.HasExited)
            {
                throw new InvalidOperationException($"etcd member {m.Name} exited:\n{m.Process?.LogTail()}");
            }

            try
            {
                using var health = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(url));
                if (health.RootElement.TryGetProperty("health", out var value) && value.GetString() == "true")
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
            {
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"etcd member {m.Name} did not become healthy within 20 s:\n{m.Process?.LogTail()}");
    }

    private sealed class Member(string name, string clientUrl, string peerUrl, string dataDir)
    {
        public string Name { get; } = name;

        public string ClientUrl { get; } = clientUrl;

        public string PeerUrl { get; } = peerUrl;

        public string DataDir { get; } = dataDir;

        public ServerProcess? Process { get; set; }
    }
}
