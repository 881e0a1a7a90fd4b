using Lockstep.Tests.Support;

namespace Lockstep.Tests.Rollout;

/// <summary>
/// <c>lockstep serve</c> keeping the semaphore in a three-member etcd cluster (the
/// <see cref="EtcdRolloutEngine"/>, whose proxies the server reaches), one proxy in front of the
/// server; the hosts use <c>backend = fleetlock</c>. Faults: the server killed (SIGKILL) and started
/// again a moment later, and everything the etcd engine suffers. The holders at the end are read
/// from etcd in airlock's layout, where the server keeps them.
/// </summary>
public sealed class ServeRolloutEngine : IRolloutEngine
{
    public const string ServeRestart = "serve-restart";

    private readonly EtcdRolloutEngine _etcd;
    private readonly string _directory = Directory.CreateTempSubdirectory("lockstep-rollout-serve-").FullName;
    private ServeProcess? _server;
    private DelayProxy? _proxy;

    private ServeRolloutEngine(EtcdRolloutEngine etcd)
    {
        _etcd = etcd;
        // The fault this engine adds is drawn half of the time, so that a CI-sized rollout (four to
        // eight engine faults in ten to twenty seconds) restarts the server nearly always.
        FaultKinds = [.. Enumerable.Repeat(ServeRestart, etcd.FaultKinds.Count), .. etcd.FaultKinds];
    }

    /// <summary>Starts the etcd cluster; the server starts once the rollout names its group (<see cref="HostConfigAsync"/>).</summary>
    public static async Task<ServeRolloutEngine> StartAsync() => new(await EtcdRolloutEngine.StartAsync());

    public string Name => "lockstep serve on etcd (3 members)";

    public IReadOnlyList<string> FaultKinds { get; }

    public async Task<(string Main, string Section)> HostConfigAsync(string lockName, int slots)
    {
        if (_server is not null)
        {
            throw new InvalidOperationException("lockstep serve already serves a rollout");
        }

        // The server's etcd calls give up before a host's (http_timeout = 3), so a host hears the
        // server's failed_sem_init rather than timing out on a store that fails over.
        _server = await ServeProcess.StartAsync(
            _directory,
            $"backend = etcd\nrequest_timeout = 2\n[group {lockName}]\nslots = {slots}\n[etcd]\nendpoints = {_etcd.EndpointsSetting}\n");
        _proxy = new DelayProxy(_server.Port);
        return ("backend = fleetlock", $"[fleetlock]\nurl = http://127.0.0.1:{_proxy.Port}");
    }

    public void SetDelay(TimeSpan delay)
    {
        _etcd.SetDelay(delay);
        if (_proxy is not null)
        {
            _proxy.Delay = delay;
        }
    }

    public async Task InjectAsync(string kind, Random random, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (kind != ServeRestart)
        {
            await _etcd.InjectAsync(kind, random, cancellationToken);
            return;
        }

        var server = _server ?? throw new InvalidOperationException("lockstep serve is not running");
        await server.KillAsync();
        await Task.Delay(TimeSpan.FromMilliseconds(200 + random.Next(1000)), CancellationToken.None);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await server.StartAgainAsync();
                return;
            }
            catch (InvalidOperationException) when (attempt < 5)
            {
                // It exited at start (the port not yet free again): start it once more, or the fleet waits for the next fault.
                await Task.Delay(500, CancellationToken.None);
            }
        }
    }

    public Task<IReadOnlyList<string>> HoldersAsync(string lockName) => _etcd.HoldersAsync(lockName);

    public async ValueTask DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        await _etcd.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
