using Lockstep.Logging;

namespace Lockstep.Locks.Foreman;

/// <summary>
/// <c>backend = foreman</c>: a lock in Foreman's DLM plugin (README "Lock backends"). The server knows the host
/// by its client certificate, so the holder id is only used in messages; whether the holder is this
/// host comes from the server (<c>host.self</c>). A 412 is told apart with a GET: only a lock held by
/// another host is worth waiting for (defect 6 of foreman_dlm_updater).
/// </summary>
internal sealed class ForemanBackend(ForemanHttp http, ILog log) : ILockBackend
{
    /// <summary>
    /// PUTs before a 412 on a lock the GET shows free counts as "host not allowed": the same picture
    /// comes from a holder that let go between the PUT and the GET, and taking that for a refusal
    /// would stop an update that only had to try again.
    /// </summary>
    private const int AcquireTries = 2;

    public string Describe => http.Server;

    public ForemanBackend(ForemanOptions options, LockBackendContext context)
        : this(new ForemanHttp(options, context.HttpTimeout, context.Clock), context.Log)
    {
    }

    public async Task AcquireAsync(string lockName, string holderId, CancellationToken cancellationToken)
    {
        for (int tries = 1; ; tries++)
        {
            var outcome = await CallAsync(DlmCall.Acquire, HttpMethod.Put, lockName, cancellationToken).ConfigureAwait(false);
            if (outcome.Kind != DlmOutcomeKind.Conflict)
            {
                log.Debug($"acquired lock {lockName} on {Describe} as {outcome.Lock?.Host?.Name ?? holderId}");
                return;
            }

            var shown = await InspectAsync(lockName, holderId, cancellationToken).ConfigureAwait(false);
            if (tries >= AcquireTries || !DlmResponses.ShowsFree(shown))
            {
                throw DlmResponses.ExplainConflict(DlmCall.Acquire, lockName, Describe, shown)!;
            }

            log.Debug($"lock {lockName} on {Describe} answered 412 but shows no holder: its holder may have let go meanwhile; trying once more");
        }
    }

    public async Task ReleaseAsync(string lockName, string holderId, CancellationToken cancellationToken)
    {
        var outcome = await CallAsync(DlmCall.Release, HttpMethod.Delete, lockName, cancellationToken).ConfigureAwait(false);
        if (outcome.Kind == DlmOutcomeKind.Conflict)
        {
            var shown = await InspectAsync(lockName, holderId, cancellationToken).ConfigureAwait(false);
            if (DlmResponses.ExplainConflict(DlmCall.Release, lockName, Describe, shown) is { } refused)
            {
                throw refused;
            }

            string holders = shown.Holders.Count == 0 ? "free" : $"held by {string.Join(", ", shown.Holders.Select(h => h.Id))}";
            log.Warn($"lock {lockName} is {holders} on {Describe}, not held by this host: nothing to release");
            return;
        }

        log.Debug($"released lock {lockName} on {Describe}");
    }

    public async Task<LockState> InspectAsync(string lockName, string holderId, CancellationToken cancellationToken)
    {
        var outcome = await CallAsync(DlmCall.Show, HttpMethod.Get, lockName, cancellationToken).ConfigureAwait(false);
        return DlmResponses.ToState(lockName, outcome.Kind == DlmOutcomeKind.Done ? outcome.Lock : null);
    }

    public ValueTask DisposeAsync()
    {
        http.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<DlmOutcome> CallAsync(DlmCall call, HttpMethod method, string lockName, CancellationToken cancellationToken)
    {
        var url = http.LockUrl(lockName);
        var answer = await http.SendAsync(method, url, cancellationToken).ConfigureAwait(false);
        string request = $"{method} {url.AbsoluteUri}";
        log.Debug($"{request}: {answer.Status} {answer.MediaType}");
        return DlmResponses.Interpret(call, request, answer);
    }
}
