using System.Text.Json;
using Lockstep.Files;
using Lockstep.Json;
using Lockstep.Logging;

namespace Lockstep.Locks.Local;

/// <summary>
/// <c>backend = local</c>: the lock is a file on this host (<c>[local] path</c>), for single
/// machines and trying Lockstep out. The holder is written into it atomically, so it survives a
/// crash and a reboot (post_update runs after the reboot still holding it); changes are serialised
/// by a flock on its directory.
/// </summary>
internal sealed class LocalLockBackend(string path, TimeProvider clock, ILog log) : ILockBackend
{
    public LocalLockBackend(LocalLockOptions options, LockBackendContext context)
        : this(options.Path, context.Clock, context.Log)
    {
    }

    /// <summary>A lock file holds a few locks; one larger than this is not one.</summary>
    public const int MaxBytes = 4 * 1024 * 1024;

    public string Path { get; } = Files.PathWalk.FullPath(path);

    public string Describe => $"local lock file {Path}";

    /// <summary>Nothing is kept open between calls.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    // The file calls are quick and local: they run synchronously, failures come back as faulted tasks.
    public Task AcquireAsync(string lockName, string holderId, CancellationToken cancellationToken) =>
        Complete(() => Acquire(lockName, holderId));

    public Task ReleaseAsync(string lockName, string holderId, CancellationToken cancellationToken) =>
        Complete(() => Release(lockName, holderId));

    public Task<LockState> InspectAsync(string lockName, string holderId, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult(Inspect(lockName, holderId));
        }
        catch (LockException e)
        {
            return Task.FromException<LockState>(e);
        }
    }

    private static Task Complete(Action action)
    {
        try
        {
            action();
            return Task.CompletedTask;
        }
        catch (LockException e)
        {
            return Task.FromException(e);
        }
    }

    private void Acquire(string lockName, string holderId)
    {
        using var guard = Guard();
        var document = Read();
        if (document.Locks.TryGetValue(lockName, out var entry) && entry.Holder is { Length: > 0 } holder)
        {
            if (holder != holderId)
            {
                throw new LockException(LockErrorKind.HeldByOther, $"lock '{lockName}' in {Describe} is held by {holder}", [holder]);
            }

            return;
        }

        document.Locks[lockName] = new LocalLockEntry { Holder = holderId, AcquiredAt = clock.GetUtcNow() };
        Write(document);
        log.Info($"lock '{lockName}' acquired by {holderId} in {Describe}");
    }

    private void Release(string lockName, string holderId)
    {
        using var guard = Guard();
        var document = Read();
        if (!document.Locks.TryGetValue(lockName, out var entry) || entry.Holder != holderId)
        {
            log.Debug($"lock '{lockName}' in {Describe} is not held by {holderId} ({entry?.Holder ?? "free"}); nothing to release");
            return;
        }

        document.Locks.Remove(lockName);
        Write(document);
        log.Info($"lock '{lockName}' released by {holderId} in {Describe}");
    }

    private LockState Inspect(string lockName, string holderId)
    {
        using var guard = Guard();
        var holders = Read().Locks.TryGetValue(lockName, out var entry) && entry.Holder is { Length: > 0 } holder
            ? new[] { new LockHolder(holder, holder == holderId) }
            : [];
        return new LockState(lockName, holders, Slots: 1);
    }

    private LocalLockDocument Read()
    {
        byte[] bytes;
        try
        {
            // Walked as every runtime file is (no symlink another user planted), bounded, never a FIFO.
            if (RuntimeFile.Read(Path, "local lock file", MaxBytes) is not { } read)
            {
                return new LocalLockDocument();
            }

            bytes = read;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LockException(LockErrorKind.Refused, $"{Describe} cannot be read ({FileFailure.Reason(e, Path)}); {Fix(e, "fix its permissions")}");
        }

        LocalLockDocument? document;
        try
        {
            document = bytes.Length == 0 ? new LocalLockDocument() : JsonSerializer.Deserialize(bytes, LocalLockJsonContext.Default.LocalLockDocument);
        }
        catch (JsonException e)
        {
            throw Invalid(JsonFailure.Reason(e));
        }

        // Damage that is still valid JSON: treated as empty, it would be overwritten and a holder lost.
        return document?.Locks is { } locks && locks.Values.All(entry => entry is not null)
            ? document
            : throw Invalid("null where a lock table or entry belongs");
    }

    private static string Fix(Exception failure, string otherwise) =>
        failure is NotRegularFileException ? "set [local] path to a regular file, or to a path where none exists yet" : otherwise;

    private LockException Invalid(string reason) =>
        new(LockErrorKind.Protocol, $"{Describe} is not a valid lock file ({reason}); fix it, or remove it if no host holds the lock");

    private void Write(LocalLockDocument document)
    {
        try
        {
            AtomicFile.Write(Path, JsonSerializer.SerializeToUtf8Bytes(document, LocalLockJsonContext.Default.LocalLockDocument));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LockException(LockErrorKind.Refused, $"{Describe} cannot be written ({FileFailure.Reason(e, Path)}); {Fix(e, "fix its permissions or free space")}");
        }
    }

    /// <summary>
    /// The lock file is replaced by rename, so the flock of a read-change-write is taken on its
    /// directory (created 0700 when missing): each write makes a new inode.
    /// </summary>
    private FileLock Guard()
    {
        try
        {
            RuntimeDirectory.EnsureFor(Path);
            return FileLock.Directory(System.IO.Path.GetDirectoryName(Path)!, out _);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LockException(LockErrorKind.Refused, $"{Describe}: {FileFailure.Message(e)}");
        }
    }
}
