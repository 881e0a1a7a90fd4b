using System.Collections.Concurrent;
using System.Diagnostics;
using Lockstep.Locks;

namespace Lockstep.Tests.Support;

/// <summary>What an independent observer saw while many clients fought over one semaphore.</summary>
public sealed record ContentionReport(
    int Acquisitions,
    int Releases,
    int MaxHoldersAtOnce,
    int MaxOverlappingIntervals,
    int TransientErrors,
    IReadOnlyList<string> FinalHolders,
    IReadOnlyList<string> Problems)
{
    /// <summary>The observer's verdict: never more holders than slots, slots actually contended, nothing lost, nothing left held.</summary>
    public void ShouldBeSafe(int slots)
    {
        Problems.ShouldBeEmpty(ToString());
        MaxHoldersAtOnce.ShouldBe(slots, ToString());
        MaxOverlappingIntervals.ShouldBe(slots, ToString());
        Acquisitions.ShouldBeGreaterThan(20, ToString());
        Releases.ShouldBe(Acquisitions, ToString());
        FinalHolders.ShouldBeEmpty(ToString());
    }

    public override string ToString() =>
        $"{Acquisitions} acquisitions, {Releases} releases, at most {MaxHoldersAtOnce} holders at once " +
        $"({MaxOverlappingIntervals} overlapping intervals), {TransientErrors} transient errors, " +
        $"final holders [{string.Join(", ", FinalHolders)}], problems: {string.Join(" | ", Problems.Take(5))}";
}

/// <summary>
/// N clients (each its own backend, as separate hosts would be) take and release one semaphore in
/// a loop for a bounded time. Each records when it held a slot on one monotonic clock and counts
/// itself in a shared counter while holding, so the observer can tell if more than the slots
/// were ever held at once or if a taken slot was lost.
/// </summary>
public static class Contention
{
    public static async Task<ContentionReport> RunAsync(
        Func<int, ILockBackend> backendFor, int clients, string lockName, TimeSpan duration, Func<Task>? disturbance = null)
    {
        var intervals = new ConcurrentBag<(long Start, long End)>();
        var problems = new ConcurrentQueue<string>();
        int holding = 0, maxHolding = 0, acquisitions = 0, releases = 0, transient = 0;
        long end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);

        async Task ClientAsync(int index)
        {
            var backend = backendFor(index);
            string id = $"client-{index:00}";
            var random = new Random(index);
            bool uncertain = false;
            while (Stopwatch.GetTimestamp() < end)
            {
                try
                {
                    await backend.AcquireAsync(lockName, id, default);
                }
                catch (LockException e) when (e.Kind == LockErrorKind.HeldByOther)
                {
                    uncertain = false;
                    await Task.Delay(random.Next(10, 40));
                    continue;
                }
                catch (LockException e) when (e.Kind == LockErrorKind.Unreachable)
                {
                    // The slot may have been taken all the same: only a later answer tells.
                    uncertain = true;
                    Interlocked.Increment(ref transient);
                    await Task.Delay(random.Next(20, 60));
                    continue;
                }
                catch (Exception e)
                {
                    problems.Enqueue($"{id} acquire: {e.GetType().Name}: {e.Message}");
                    break;
                }

                uncertain = false;
                long start = Stopwatch.GetTimestamp();
                int now = Interlocked.Increment(ref holding);
                InterlockedMax(ref maxHolding, now);
                Interlocked.Increment(ref acquisitions);
                await CheckHeldAsync(backend, lockName, id, problems);
                await Task.Delay(random.Next(1, 6));
                Interlocked.Decrement(ref holding);
                intervals.Add((start, Stopwatch.GetTimestamp()));
                if (await ReleaseAsync(backend, lockName, id, problems, () => Interlocked.Increment(ref transient)))
                {
                    Interlocked.Increment(ref releases);
                }
            }

            if (uncertain)
            {
                await ReleaseAsync(backend, lockName, id, problems, () => Interlocked.Increment(ref transient));
            }
        }

        var all = Enumerable.Range(0, clients).Select(i => Task.Run(() => ClientAsync(i))).ToList();
        if (disturbance is not null)
        {
            all.Add(disturbance());
        }

        await Task.WhenAll(all);
        var final = await backendFor(clients).InspectAsync(lockName, "observer", default);
        return new ContentionReport(
            acquisitions, releases, maxHolding, MaxOverlap(intervals), transient, final.Holders.Select(h => h.Id).ToList(), problems.ToList());
    }

    // While holding, the semaphore itself must list this client and never more holders than slots.
    private static async Task CheckHeldAsync(ILockBackend backend, string lockName, string id, ConcurrentQueue<string> problems)
    {
        for (int attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                var state = await backend.InspectAsync(lockName, id, default);
                if (!state.HeldBySelf)
                {
                    problems.Enqueue($"{id} holds a slot the semaphore does not list: [{string.Join(", ", state.Holders.Select(h => h.Id))}]");
                }

                if (state.Slots is { } slots && state.Holders.Count > slots)
                {
                    problems.Enqueue($"{state.Holders.Count} holders in {slots} slots");
                }

                return;
            }
            catch (LockException e) when (e.Kind == LockErrorKind.Unreachable)
            {
                await Task.Delay(20);
            }
        }
    }

    private static async Task<bool> ReleaseAsync(ILockBackend backend, string lockName, string id, ConcurrentQueue<string> problems, Action onTransient)
    {
        long giveUp = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
        while (true)
        {
            try
            {
                await backend.ReleaseAsync(lockName, id, default);
                return true;
            }
            catch (LockException e) when (e.Kind == LockErrorKind.Unreachable && Stopwatch.GetTimestamp() < giveUp)
            {
                onTransient();
                await Task.Delay(50);
            }
            catch (Exception e)
            {
                problems.Enqueue($"{id} release: {e.GetType().Name}: {e.Message}");
                return false;
            }
        }
    }

    private static int MaxOverlap(IEnumerable<(long Start, long End)> intervals)
    {
        // Ends sort before starts at the same instant: touching intervals do not overlap.
        var events = intervals.SelectMany(i => new[] { (Time: i.Start, Delta: 1), (Time: i.End, Delta: -1) })
            .OrderBy(e => e.Time).ThenBy(e => e.Delta);
        int current = 0, max = 0;
        foreach (var (_, delta) in events)
        {
            current += delta;
            max = Math.Max(max, current);
        }

        return max;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
