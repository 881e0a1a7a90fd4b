using System.Text;
using System.Text.Json;
using Lockstep.Tests.Support.Servers;

namespace Lockstep.Tests.Rollout;

/// <summary>
/// A three-member etcd cluster, one proxy in front of each member. Faults: a member that is not the
/// leader killed (SIGKILL) and started again a moment later, the leader killed likewise (a new
/// election), and slow answers. One member is down at a time, so the cluster keeps its quorum.
/// </summary>
public sealed class EtcdRolloutEngine : IRolloutEngine
{
    public const string MemberKill = "etcd-member-kill";
    public const string LeaderKill = "etcd-leader-kill";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(3) };
    private readonly EtcdCluster _cluster;
    private readonly DelayProxy[] _proxies;

    private EtcdRolloutEngine(EtcdCluster cluster)
    {
        _cluster = cluster;
        _proxies = [.. cluster.Endpoints.Select(url => new DelayProxy(new Uri(url).Port))];
    }

    public static async Task<EtcdRolloutEngine> StartAsync() => new(await EtcdCluster.StartAsync(3));

    public string Name => "etcd (3 members)";

    public IReadOnlyList<string> FaultKinds { get; } = [MemberKill, LeaderKill, RolloutFaults.SlowAnswers];

    /// <summary>The <c>endpoints</c> setting that reaches the members through their proxies.</summary>
    public string EndpointsSetting => string.Join(",", _proxies.Select(p => $"http://127.0.0.1:{p.Port}"));

    public Task<(string Main, string Section)> HostConfigAsync(string lockName, int slots) =>
        Task.FromResult(("backend = etcd", $"[etcd]\nendpoints = {EndpointsSetting}\nslots = {slots}"));

    public void SetDelay(TimeSpan delay)
    {
        foreach (var proxy in _proxies)
        {
            proxy.Delay = delay;
        }
    }

    public async Task InjectAsync(string kind, Random random, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(random);
        int leader = await LeaderAsync();
        int member = kind switch
        {
            LeaderKill => leader,
            MemberKill => Enumerable.Range(0, _proxies.Length).Where(i => i != leader).ElementAt(random.Next(_proxies.Length - 1)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not an etcd fault"),
        };
        await _cluster.StopMemberAsync(member);
        await Task.Delay(TimeSpan.FromMilliseconds(300 + random.Next(1500)), CancellationToken.None);
        await _cluster.StartMemberAsync(member);
    }

    public async Task<IReadOnlyList<string>> HoldersAsync(string lockName)
    {
        string key = $"com.coreos.airlock/groups/{Uri.EscapeDataString(lockName)}/v1/semaphore";
        string body = $$"""{"key":"{{Convert.ToBase64String(Encoding.UTF8.GetBytes(key))}}"}""";
        using var response = await Http.PostAsync(new Uri($"{_cluster.Endpoints[0]}/v3/kv/range"), new StringContent(body));
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        if (!json.RootElement.TryGetProperty("kvs", out var kvs))
        {
            return [];
        }

        using var semaphore = JsonDocument.Parse(Convert.FromBase64String(kvs[0].GetProperty("value").GetString()!));
        return [.. semaphore.RootElement.GetProperty("holders").EnumerateArray().Select(h => h.GetString()!)];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var proxy in _proxies)
        {
            await proxy.DisposeAsync();
        }

        await _cluster.DisposeAsync();
    }

    /// <summary>The index of the member that leads now, as the members' status says (retried through an election).</summary>
    private async Task<int> LeaderAsync()
    {
        for (int attempt = 0; ; attempt++)
        {
            var ids = new ulong[_proxies.Length];
            ulong leader = 0;
            for (int i = 0; i < ids.Length; i++)
            {
                try
                {
                    using var response = await Http.PostAsync(new Uri($"{_cluster.ClientUrl(i)}/v3/maintenance/status"), new StringContent("{}"));
                    using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                    ids[i] = ulong.Parse(json.RootElement.GetProperty("header").GetProperty("member_id").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                    leader = json.RootElement.TryGetProperty("leader", out var l) ? ulong.Parse(l.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : leader;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
                {
                }
            }

            int index = Array.IndexOf(ids, leader);
            if (leader != 0 && index >= 0)
            {
                return index;
            }

            if (attempt >= 50)
            {
                throw new InvalidOperationException("the etcd cluster has no leader after 5 s");
            }

            await Task.Delay(100);
        }
    }
}
