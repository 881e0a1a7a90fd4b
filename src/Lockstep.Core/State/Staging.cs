using Lockstep.Files;

namespace Lockstep.State;

/// <summary>
/// Builds an entry beside its final place under a temporary name and renames it in only when
/// complete and on disk, so a path is either absent or whole. A killed run leaves only a
/// temporary entry, which the next run (holding the <see cref="StateLock"/>) removes.
/// </summary>
internal static class Staging
{
    public const string TempPrefix = ".lockstep-tmp-";

    /// <summary>
    /// Builds <paramref name="target"/> through <paramref name="build"/> (given the temporary path).
    /// Returns false, leaving nothing behind, when something else created the target meanwhile:
    /// existing content is never replaced.
    /// </summary>
    public static bool Place(string target, Action<string> build)
    {
        string dir = Path.GetDirectoryName(target)!;
        string temp = Path.Combine(dir, $"{TempPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            build(temp);
            PosixFs.SyncFileSystem(dir);
            int errno = PosixFs.TryRenameNoReplace(temp, target);
            if (errno == PosixFs.EEXIST || errno == PosixFs.ENOTEMPTY)
            {
                Tree.Remove(temp);
                return false;
            }

            if (errno != 0)
            {
                throw new PosixException(errno, "rename", target);
            }
        }
        catch (IOException e) when (e.Message.Contains(temp, StringComparison.Ordinal))
        {
            TryRemove(temp);

            // Name what failed as it would be in place, not by its temporary name.
            throw new IOException(e.Message.Replace(temp, target, StringComparison.Ordinal), e);
        }
        catch
        {
            TryRemove(temp);
            throw;
        }

        AtomicFile.SyncDirectory(dir);
        return true;
    }

    /// <summary>Removes what killed runs left in <paramref name="dir"/>; only call with the <see cref="StateLock"/> held.</summary>
    public static IReadOnlyList<string> RemoveLeftovers(string dir)
    {
        if (!Entry.IsDirectory(dir))
        {
            return [];
        }

        var options = new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = false, RecurseSubdirectories = false };
        var removed = Directory.EnumerateFileSystemEntries(dir, TempPrefix + "*", options).ToList();
        foreach (string leftover in removed)
        {
            Tree.Remove(leftover);
        }

        if (removed.Count > 0)
        {
            AtomicFile.SyncDirectory(dir);
        }

        return removed;
    }

    private static void TryRemove(string temp)
    {
        try
        {
            Tree.Remove(temp);
        }
        catch (IOException)
        {
            // The original failure is the one to report; the next run removes the leftover.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
