using System.Text;
using Lockstep.Http;
using Lockstep.Locks.Semaphore;

namespace Lockstep.Locks.Etcd;

/// <summary>
/// The fleet lock as a semaphore in etcd, in coreos/airlock's layout. Every change is a
/// compare-and-swap on the revision just read; a lost race re-reads and decides again. No lease:
/// the holder keeps its slot across its own reboot until it releases it.
/// </summary>
internal sealed class EtcdLockBackend : ILockBackend
{
    /// <summary>Compare-and-swap attempts per call before giving up under contention.</summary>
    public const int MaxAttempts = 50;

    // Pauses of 0 to 5 ms times the attempt: a lost race needs only the winner's write to pass.
    private static readonly TimeSpan BackoffStep = TimeSpan.FromMilliseconds(2.5);

    private readonly EtcdOptions _options;
    private readonly EtcdGateway _gateway;
    private readonly TimeProvider _clock;
    private readonly Func<double> _jitter;
    private readonly SlotsMismatch _slotsMismatch;

    public EtcdLockBackend(EtcdOptions options, LockBackendContext context, Func<double>? jitter = null)
        : this(options, context, ServerClient.Create(
            options?.Tls ?? throw new ArgumentNullException(nameof(options)),
            context?.HttpTimeout ?? throw new ArgumentNullException(nameof(context)),
            context.Clock), jitter)
    {
    }

    /// <summary>With the HTTP handler given (tests).</summary>
    internal EtcdLockBackend(EtcdOptions options, LockBackendContext context, HttpMessageHandler handler, Func<double>? jitter)
        : this(options, context, new ServerClient(handler, context?.HttpTimeout ?? default, context?.Clock ?? TimeProvider.System), jitter)
    {
    }

    private EtcdLockBackend(EtcdOptions options, LockBackendContext context, ServerClient http, Func<double>? jitter)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        _options = options;
        _clock = context.Clock;
        _jitter = jitter ?? Random.Shared.NextDouble;
        _slotsMismatch = new SlotsMismatch(options.SlotsSetting, context.Log);
        _gateway = new EtcdGateway(options.Endpoints, http, context.Log);
    }

    public string Describe => $"etcd at {string.Join(",", _options.Endpoints)}";

    public Task AcquireAsync(string lockName, string holderId, CancellationToken cancellationToken) =>
        ChangeAsync(lockName, semaphore => semaphore.Lock(holderId), cancellationToken);

    public Task ReleaseAsync(string lockName, string holderId, CancellationToken cancellationToken) =>
        ChangeAsync(lockName, semaphore => semaphore.Unlock(holderId), cancellationToken);

    public async Task<LockState> InspectAsync(string lockName, string holderId, CancellationToken cancellationToken)
    {
        string key = EtcdKeys.Semaphore(lockName);
        var entry = await _gateway.GetAsync(Encoding.UTF8.GetBytes(key), cancellationToken).ConfigureAwait(false);
        return Read(key, entry).ToState(lockName, holderId);
    }

    public ValueTask DisposeAsync()
    {
        _gateway.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task ChangeAsync(string lockName, Func<SlotSemaphore, SemaphoreStep> rule, CancellationToken cancellationToken)
    {
        string key = EtcdKeys.Semaphore(lockName);
        byte[] keyBytes = Encoding.UTF8.GetBytes(key);
        var entry = await _gateway.GetAsync(keyBytes, cancellationToken).ConfigureAwait(false);
        for (int attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var semaphore = Read(key, entry);
            var step = rule(semaphore);
            switch (step.Outcome)
            {
                case SemaphoreOutcome.AlreadyHeld or SemaphoreOutcome.NotHeld:
                    return;
                case SemaphoreOutcome.Full:
                    throw semaphore.HeldByOthers(lockName, Describe);
            }

            // A new semaphore is created at this point only when the key is absent (version 0).
            var (written, current) = await _gateway.PutIfUnchangedAsync(keyBytes, SemaphoreJson.Serialize(step.Next!), entry, cancellationToken)
                .ConfigureAwait(false);
            if (written)
            {
                return;
            }

            // Lost a race: the failed transaction answered the value as it is now, so try again on
            // that at once; after a second loss let the other writers through, then read afresh.
            entry = current;
            if (attempt >= 2)
            {
                await Task.Delay(Backoff.AfterAttempt(BackoffStep, attempt, _jitter(), spread: 1), _clock, cancellationToken).ConfigureAwait(false);
                entry = await _gateway.GetAsync(keyBytes, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new LockException(
            LockErrorKind.Unreachable,
            $"the semaphore {key} in {Describe} changed under each of {MaxAttempts} attempts (heavy contention); try again");
    }

    private SlotSemaphore Read(string key, EtcdEntry? entry)
    {
        if (entry is null)
        {
            return SlotSemaphore.Empty(_options.Slots);
        }

        string where = $"etcd key {key} in {Describe}";
        var semaphore = SemaphoreJson.Parse(entry.Value, where);
        _slotsMismatch.Check(key, semaphore.TotalSlots, where);

        return semaphore;
    }
}
