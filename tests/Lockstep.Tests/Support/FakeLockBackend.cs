using Lockstep.Locks;

namespace Lockstep.Tests.Support;

/// <summary>A lock server scripted by the test: each acquire takes the next planned failure (none left: success). Records every call.</summary>
public sealed class FakeLockBackend : ILockBackend
{
    private readonly Queue<LockException> _acquireFailures = new();

    public string Describe => "fake lock server at 127.0.0.1";

    public List<string> Calls { get; } = [];

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public LockException? ReleaseFailure { get; set; }

    /// <summary>The next acquires fail with these, in order.</summary>
    public FakeLockBackend FailAcquire(params LockException[] failures)
    {
        foreach (var failure in failures)
        {
            _acquireFailures.Enqueue(failure);
        }

        return this;
    }

    public static LockException HeldBy(string holder) => new(LockErrorKind.HeldByOther, $"lock held by {holder}", [holder]);

    public Task AcquireAsync(string lockName, string holderId, CancellationToken cancellationToken)
    {
        Calls.Add($"acquire {lockName} {holderId}");
        return _acquireFailures.TryDequeue(out var failure) ? Task.FromException(failure) : Task.CompletedTask;
    }

    public Task ReleaseAsync(string lockName, string holderId, CancellationToken cancellationToken)
    {
        Calls.Add($"release {lockName} {holderId}");
        return ReleaseFailure is { } failure ? Task.FromException(failure) : Task.CompletedTask;
    }

    public Task<LockState> InspectAsync(string lockName, string holderId, CancellationToken cancellationToken)
    {
        Calls.Add($"inspect {lockName}");
        return Task.FromResult(new LockState(lockName, []));
    }
}
