namespace Lockstep.Tests.Support.ForemanDlm;

/// <summary>A lock as the test server keeps it.</summary>
public sealed record DlmServerLock(long Id, string Name, bool Enabled, string? Holder, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>
/// The Foreman DLM plugin's rules (README "Foreman DLM", and foreman_dlm's model): one holder per lock, a lock
/// created on first acquire or release, a change allowed only on an enabled lock that is free or held
/// by the caller, and only for hosts allowed to take locks. Thread-safe.
/// </summary>
public sealed class DlmLockTable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DlmServerLock> _locks = new(StringComparer.Ordinal);
    private readonly HashSet<string> _forbidden = new(StringComparer.Ordinal);
    private readonly Func<DateTimeOffset> _now;
    private long _nextId = 1;

    public DlmLockTable(Func<DateTimeOffset> now) => _now = now;

    public DlmServerLock? Find(string name)
    {
        lock (_gate)
        {
            return _locks.GetValueOrDefault(name);
        }
    }

    /// <summary>PUT: take the lock for <paramref name="host"/>; null (412) when the lock is held by another, disabled, or the host forbidden.</summary>
    public DlmServerLock? Acquire(string name, string host) => Change(name, host, expected: host, to: host);

    /// <summary>DELETE: free the lock if <paramref name="host"/> holds it or nobody does; null (412) otherwise.</summary>
    public DlmServerLock? Release(string name, string host) => Change(name, host, expected: host, to: null);

    public void Forbid(string host)
    {
        lock (_gate)
        {
            _forbidden.Add(host);
        }
    }

    public void SetEnabled(string name, bool enabled) => Update(name, l => l with { Enabled = enabled });

    public void SetHolder(string name, string? host) => Update(name, l => l with { Holder = host, UpdatedAt = _now() });

    private DlmServerLock? Change(string name, string host, string expected, string? to)
    {
        lock (_gate)
        {
            var current = GetOrCreate(name);
            bool free = current.Holder is null || current.Holder == expected;
            if (!current.Enabled || !free || _forbidden.Contains(host))
            {
                return null;
            }

            var changed = current with { Holder = to, UpdatedAt = _now() };
            _locks[name] = changed;
            return changed;
        }
    }

    private void Update(string name, Func<DlmServerLock, DlmServerLock> change)
    {
        lock (_gate)
        {
            _locks[name] = change(GetOrCreate(name));
        }
    }

    private DlmServerLock GetOrCreate(string name)
    {
        if (!_locks.TryGetValue(name, out var found))
        {
            var now = _now();
            found = new DlmServerLock(_nextId++, name, Enabled: true, Holder: null, now, now);
            _locks[name] = found;
        }

        return found;
    }
}
