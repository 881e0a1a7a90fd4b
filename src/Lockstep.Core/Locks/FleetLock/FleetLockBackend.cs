using Lockstep.Http;

namespace Lockstep.Locks.FleetLock;

/// <summary>
/// The fleet lock held through a FleetLock server (airlock, or anything speaking zincati's
/// protocol): group = the lock name, id = the holder id. The protocol has no way to list holders,
/// so <see cref="InspectAsync"/> reports them as unknown, with no slot count, once the server answered.
/// </summary>
internal sealed class FleetLockBackend : ILockBackend
{
    private static readonly KeyValuePair<string, string>[] ProtocolHeader = [new(FleetLockProtocol.Header, "true")];

    private readonly FleetLockOptions _options;
    private readonly ServerClient _http;

    public FleetLockBackend(FleetLockOptions options, LockBackendContext context)
    {
        _options = options;
        if (options.LockNameSetting is { } lockName)
        {
            FleetLockProtocol.CheckGroup(lockName.Text, lockName.Where);
        }

        _http = ServerClient.Create(options.Tls, context.HttpTimeout, context.Clock);
    }

    public string Describe => $"FleetLock server {_options.Url}";

    public string HoldersNeverKnown => "FleetLock cannot list them";

    public Task AcquireAsync(string lockName, string holderId, CancellationToken cancellationToken) =>
        CallAsync(FleetLockCall.PreReboot, lockName, holderId, cancellationToken);

    public Task ReleaseAsync(string lockName, string holderId, CancellationToken cancellationToken) =>
        CallAsync(FleetLockCall.SteadyState, lockName, holderId, cancellationToken);

    /// <summary>
    /// FleetLock cannot be asked who holds a group: the state says the holders are unknown and gives
    /// no slot count, once the server has answered a request that changes nothing
    /// (<see cref="FleetLockProtocol.InterpretProbe"/>).
    /// </summary>
    public async Task<LockState> InspectAsync(string lockName, string holderId, CancellationToken cancellationToken)
    {
        CheckGroup(lockName);
        var answer = await SendAsync(HttpMethod.Parse(FleetLockProtocol.ProbeMethod), FleetLockCall.PreReboot, body: null, [], cancellationToken).ConfigureAwait(false);
        if (FleetLockProtocol.InterpretProbe(_options.Url, answer.Status, answer.Body) is { } failure)
        {
            throw failure;
        }

        return new LockState(lockName, []) { HoldersUnknownBecause = HoldersNeverKnown };
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task CallAsync(FleetLockCall call, string group, string id, CancellationToken cancellationToken)
    {
        CheckGroup(group);
        ArgumentException.ThrowIfNullOrEmpty(id);
        var answer = await SendAsync(HttpMethod.Post, call, FleetLockProtocol.Body(id, group), ProtocolHeader, cancellationToken).ConfigureAwait(false);
        if (FleetLockProtocol.Interpret(call, _options.Url, group, answer.Status, answer.Body) is { } failure)
        {
            throw failure;
        }
    }

    private async Task<HttpAnswer> SendAsync(
        HttpMethod method, FleetLockCall call, byte[]? body, IEnumerable<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        string path = FleetLockProtocol.Path(call);
        try
        {
            return await _http.SendAsync(method, new Uri(_options.Url, path), body, headers, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpCallException e)
        {
            throw HttpLockFailure.ToLockException(e, e.Failure switch
            {
                HttpFailure.Tls => $"{Describe}: {e.Message}; check [fleetlock] url, ca, cert and key",
                HttpFailure.BadAnswer or HttpFailure.NotTls => $"{Describe}: {e.Message}; check [fleetlock] url and any proxy in front of the server",
                _ when e.RequestSent => $"{Describe} did not answer {method} {path} ({e.Message}); check the server, or raise [main] http_timeout",
                _ => $"{Describe} cannot be reached ({e.Message}); check [fleetlock] url and that the server is up",
            });
        }
    }

    private void CheckGroup(string group)
    {
        var configured = _options.LockNameSetting;
        string where = configured is not null && configured.Text == group ? configured.Where : "the lock name";
        FleetLockProtocol.CheckGroup(group, where);
    }
}
