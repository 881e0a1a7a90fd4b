using Lockstep.Locks;
using Lockstep.Locks.Local;
using Lockstep.Tests.Support;
using Lockstep.Update;

namespace Lockstep.Tests.Update;

public sealed class LockWaiterTests : IDisposable
{
    private static readonly TimeSpan Minute = TimeSpan.FromSeconds(60);
    private readonly TempDir _dir = new();
    private readonly FakeClock _clock = new();
    private readonly RecordingLog _log = new();

    private string LogText => string.Join('\n', _log.Lines.Select(l => l.Message));

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_free_lock_is_taken_at_once_without_waiting()
    {
        var backend = new FakeLockBackend();

        await new LockWaiter(backend, _clock, () => 0.5, _log).AcquireAsync("fleet", "me", Minute, null, CancellationToken.None);

        backend.Calls.ShouldBe(["acquire fleet me"]);
        _clock.RequestedDelays.ShouldBeEmpty();
    }

    [Fact]
    public void A_lock_held_by_another_host_is_retried_each_interval_with_jitter_until_it_is_released()
    {
        string path = _dir["local.lock"];
        File.WriteAllText(path, """{"locks":{"fleet":{"holder":"db-2"}}}""");
        var backend = new LocalLockBackend(path, _clock, _log);
        var jitter = new Queue<double>([0.0, 1.0, 0.5]);

        var wait = new LockWaiter(backend, _clock, jitter.Dequeue, _log).AcquireAsync("fleet", "me", Minute, null, CancellationToken.None);

        wait.IsCompleted.ShouldBeFalse();
        _clock.RequestedDelays.ShouldBe([TimeSpan.FromSeconds(48)]);
        _clock.Advance(TimeSpan.FromSeconds(47.9), wait);
        _clock.RequestedDelays.Count.ShouldBe(1);
        _clock.Advance(TimeSpan.FromSeconds(0.1), wait);
        _clock.RequestedDelays.ShouldBe([TimeSpan.FromSeconds(48), TimeSpan.FromSeconds(72)]);
        File.WriteAllText(path, """{"locks":{}}""");
        _clock.Advance(TimeSpan.FromSeconds(72), wait);

        wait.IsCompletedSuccessfully.ShouldBeTrue();
        File.ReadAllText(path).ShouldContain("\"holder\": \"me\"");
        LogText.ShouldContain("lock 'fleet' (local lock file " + path + ") is held by db-2");
        _log.Lines.Count(l => l.Message.Contains("is held by db-2") && l.Level == Lockstep.Logging.LogLevel.Info).ShouldBe(1);
        LogText.ShouldContain("acquired after waiting 120 s");
    }

    [Fact]
    public async Task Waiting_stops_at_the_wait_limit_naming_the_holder()
    {
        var backend = new FakeLockBackend().FailAcquire(Enumerable.Range(0, 10).Select(_ => FakeLockBackend.HeldBy("db-2")).ToArray());

        var wait = new LockWaiter(backend, _clock, () => 0.5, _log).AcquireAsync("fleet", "me", Minute, TimeSpan.FromSeconds(150), CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(60), wait);
        _clock.Advance(TimeSpan.FromSeconds(60), wait);
        _clock.Advance(TimeSpan.FromSeconds(30), wait);

        var error = await Should.ThrowAsync<LockException>(wait);
        error.Kind.ShouldBe(LockErrorKind.HeldByOther);
        error.Message.ShouldContain("gave up waiting for lock 'fleet' (fake lock server at 127.0.0.1) after 150 s (lock_wait_timeout): it is held by db-2");
        backend.Calls.Count.ShouldBe(4); // at 0, 60, 120 and 150 s
        _clock.RequestedDelays.ShouldBe([Minute, Minute, TimeSpan.FromSeconds(30)]);
    }

    [Fact]
    public void A_server_reason_without_holders_is_shown_at_info_when_it_changes_and_at_debug_on_every_try()
    {
        static LockException NoSlot(string said) => new(LockErrorKind.HeldByOther, $"no slot ({said})") { ServerReason = said };
        var backend = new FakeLockBackend().FailAcquire(
            NoSlot("failed_lock: all 1 semaphore slots currently locked"),
            NoSlot("failed_lock: all 1 semaphore slots currently locked"),
            NoSlot("failed_lock: conflict on semaphore detected"),
            NoSlot("failed_lock: all 1 semaphore slots currently locked"));

        var wait = new LockWaiter(backend, _clock, () => 0.5, _log).AcquireAsync("fleet", "me", Minute, null, CancellationToken.None);
        for (int i = 0; i < 4; i++)
        {
            _clock.Advance(Minute, wait);
        }

        wait.IsCompletedSuccessfully.ShouldBeTrue();
        var waiting = _log.Lines.Where(l => l.Message.Contains("trying again", StringComparison.Ordinal)).ToList();
        waiting.Select(l => (l.Level, l.Message)).ShouldBe([
            (Lockstep.Logging.LogLevel.Info, "lock 'fleet' (fake lock server at 127.0.0.1) gave no slot (the server says failed_lock: all 1 semaphore slots currently locked); trying again every 60 s"),
            (Lockstep.Logging.LogLevel.Debug, "lock 'fleet' (fake lock server at 127.0.0.1) gave no slot (the server says failed_lock: all 1 semaphore slots currently locked); trying again every 60 s"),
            (Lockstep.Logging.LogLevel.Info, "lock 'fleet' (fake lock server at 127.0.0.1) gave no slot (the server says failed_lock: conflict on semaphore detected); trying again every 60 s"),
            (Lockstep.Logging.LogLevel.Info, "lock 'fleet' (fake lock server at 127.0.0.1) gave no slot (the server says failed_lock: all 1 semaphore slots currently locked); trying again every 60 s"),
        ]);
        LogText.ShouldNotContain("another host");
    }

    [Theory]
    [InlineData("db-2", null, "is held by db-2")]
    [InlineData("db-2", "failed_lock: x", "is held by db-2")]
    [InlineData(null, "failed_lock: conflict on semaphore detected", "gave no slot (the server says failed_lock: conflict on semaphore detected)")]
    [InlineData(null, null, "is held by another host")]
    public void Why_a_lock_is_not_free_says_held_by_another_host_only_when_nothing_better_is_known(string? holder, string? said, string expected) =>
        LockWaiter.WhyNotFree(new LockException(LockErrorKind.HeldByOther, "m", holder is null ? [] : [holder]) { ServerReason = said }).ShouldBe(expected);

    [Theory]
    [InlineData(LockErrorKind.Refused)]
    [InlineData(LockErrorKind.Protocol)]
    [InlineData(LockErrorKind.Unreachable)]
    public async Task Any_failure_other_than_held_by_another_host_stops_at_once(LockErrorKind kind)
    {
        var backend = new FakeLockBackend().FailAcquire(new LockException(kind, "lock is disabled"));

        var error = await Should.ThrowAsync<LockException>(
            new LockWaiter(backend, _clock, () => 0.5, _log).AcquireAsync("fleet", "me", Minute, null, CancellationToken.None));

        error.Kind.ShouldBe(kind);
        error.Message.ShouldBe("lock is disabled");
        backend.Calls.Count.ShouldBe(1);
        _clock.PendingTimers.ShouldBe(0);
    }

    [Fact]
    public async Task A_signal_ends_the_wait()
    {
        var backend = new FakeLockBackend().FailAcquire(FakeLockBackend.HeldBy("db-2"), FakeLockBackend.HeldBy("db-2"));
        using var stop = new CancellationTokenSource();

        var wait = new LockWaiter(backend, _clock, () => 0.5, _log).AcquireAsync("fleet", "me", Minute, null, stop.Token);
        await stop.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(wait);
        backend.Calls.Count.ShouldBe(1);
    }
}
