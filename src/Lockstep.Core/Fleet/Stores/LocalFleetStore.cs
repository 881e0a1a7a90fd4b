using Lockstep.Files;
using Lockstep.Locks;
using Lockstep.Locks.Etcd;
using Lockstep.Processes;

namespace Lockstep.Fleet.Stores;

/// <summary>
/// The fleet view as files in one directory (mode 0700), a file a key (its name the query-escaped
/// key), each written atomically. Conditional writes hold a flock on the directory and compare the
/// file's bytes with what was read.
/// </summary>
public sealed class LocalFleetStore(string directory) : IFleetStore
{
    private const string Suffix = ".json";

    public string Directory { get; } = PathWalk.FullPath(directory);

    public string Describe => $"fleet directory {Directory}";

    public Task<FleetEntry?> GetAsync(string key, CancellationToken cancellationToken) => Run(() => Read(key));

    public Task<IReadOnlyList<FleetEntry>> ListAsync(string prefix, CancellationToken cancellationToken) => Run<IReadOnlyList<FleetEntry>>(() =>
    {
        if (FileStat.TryStat(Directory, out var stat) != 0 || !stat.IsDirectory)
        {
            return [];
        }

        // readdir: the directory's own path may hold bytes that are not UTF-8 (README, "Paths are bytes").
        string filePrefix = EtcdKeys.QueryEscape(prefix);
        return [.. DirectoryEntries.Names(Directory)
            .Where(name => name.StartsWith(filePrefix, StringComparison.Ordinal) && name.EndsWith(Suffix, StringComparison.Ordinal))
            .Select(name => Read(Uri.UnescapeDataString(name![..^Suffix.Length].Replace('+', ' '))))
            .OfType<FleetEntry>()
            .OrderBy(e => e.Key, StringComparer.Ordinal)];
    });

    public Task PutAsync(string key, byte[] value, CancellationToken cancellationToken) => Run(() =>
    {
        using var guard = Guard();
        AtomicFile.Write(FileOf(key), value);
        return true;
    });

    public Task<bool> PutIfUnchangedAsync(string key, byte[] value, FleetEntry? read, CancellationToken cancellationToken) => Run(() =>
    {
        using var guard = Guard();
        if (!Same(Read(key), read))
        {
            return false;
        }

        AtomicFile.Write(FileOf(key), value);
        return true;
    });

    public Task<bool> DeleteIfUnchangedAsync(FleetEntry read, CancellationToken cancellationToken) => Run(() =>
    {
        ArgumentNullException.ThrowIfNull(read);
        using var guard = Guard();
        if (!Same(Read(read.Key), read))
        {
            return false;
        }

        // Through the walked directory, as it was read: a symlink planted on the way since is refused, not followed.
        _ = AtomicFile.Remove(FileOf(read.Key), "fleet report");
        return true;
    });

    public void Dispose()
    {
    }

    /// <summary>A flock on the directory (created 0700 when missing) for one read-change-write: each write makes a new inode.</summary>
    private FileLock Guard()
    {
        RuntimeDirectory.EnsureFor(Path.Combine(Directory, "x"));
        return FileLock.Directory(Directory, out _);
    }

    private static bool Same(FleetEntry? now, FleetEntry? read) =>
        now is null ? read is null : read is not null && now.Value.AsSpan().SequenceEqual(read.Value);

    private string FileOf(string key) => Path.Combine(Directory, EtcdKeys.QueryEscape(key) + Suffix);

    private FleetEntry? Read(string key)
    {
        // Walked and bounded like every runtime file: a symlink another user planted is refused, a FIFO does not hang.
        return RuntimeFile.Read(FileOf(key), "fleet report", BoundedFile.DefaultMaxBytes) is { } bytes ? new FleetEntry(key, bytes, 0) : null;
    }

    // The file calls are quick and local: they run synchronously, failures come back as faulted tasks.
    private Task<T> Run<T>(Func<T> work)
    {
        try
        {
            return Task.FromResult(work());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Task.FromException<T>(new LockException(LockErrorKind.Refused, $"{Describe}: {FileFailure.Message(e)}; fix its path ([fleet] path) or permissions"));
        }
    }
}
