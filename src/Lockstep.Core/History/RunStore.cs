using System.Globalization;
using System.Text.Json;
using Lockstep.Files;

namespace Lockstep.History;

/// <summary>
/// The run records of one state directory: one JSON file per run in <c>STATE/runs</c>, each
/// replaced atomically, the newest <see cref="DefaultKeep"/> kept.
/// </summary>
public sealed class RunStore(string directory)
{
    public const int DefaultKeep = 100;

    private const string Extension = ".json";
    private bool _created;

    public string Directory { get; } = directory;

    public static RunStore InStateDirectory(string stateDirectory) => new(Path.Combine(stateDirectory, "runs"));

    /// <summary>Start time (UTC, to the millisecond) then pid: names sort in start order and two runs never share one.</summary>
    public static string NewId(DateTimeOffset startedAt, int pid) =>
        string.Create(CultureInfo.InvariantCulture, $"{startedAt.UtcDateTime:yyyyMMdd'T'HHmmss'.'fff'Z'}-{pid}");

    public string PathOf(string id) => Path.Combine(Directory, id + Extension);

    /// <summary>Writes the record atomically (mode 0600, directory 0700); throws <see cref="RunStoreException"/> naming the reason.</summary>
    public void Save(RunRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(record, RunRecordJson.Default.RunRecord);
        Guard(() =>
        {
            if (!_created)
            {
                RuntimeDirectory.EnsureFor(PathOf(record.Id));
                _created = true;
            }

            AtomicFile.Write(PathOf(record.Id), json);
        }, "cannot record this run in");
    }

    /// <summary>The newest <paramref name="count"/> records, oldest first; unreadable ones are returned with their problem.</summary>
    public IReadOnlyList<StoredRun> LoadLast(int count)
    {
        var names = Guard(ListNames, "cannot read run records in");
        var runs = new List<StoredRun>(Math.Min(count, names.Count));
        foreach (string name in names.Skip(Math.Max(0, names.Count - count)))
        {
            if (StoredRun.Read(Path.Combine(Directory, name)) is { } run)
            {
                runs.Add(run);
            }
        }

        return runs;
    }

    /// <summary>Deletes all but the newest <paramref name="keep"/> records, and temp files left by writers that died; returns how many records went.</summary>
    public int Prune(int keep)
    {
        return Guard(() =>
        {
            var names = ListNames();
            int excess = Math.Max(0, names.Count - keep);
            // Removed through the directory the walk opened: a directory swapped in meanwhile loses nothing.
            using var walked = PathWalk.Walk(PathOf("x"), PathRule.Runtime, "run record directory");
            foreach (string name in names.Take(excess))
            {
                _ = walked.Unlink(name);
            }

            foreach (string name in walked.NamesInDirectory("."))
            {
                if (TempWriterPid(name) is { } pid && !System.IO.Directory.Exists($"/proc/{pid}"))
                {
                    _ = walked.Unlink(name);
                }
            }

            return excess;
        }, "cannot prune run records in");
    }

    /// <summary>The pid in an <see cref="AtomicFile"/> temp name (<c>.NAME.tmp-PID-GUID</c>), or null for other names.</summary>
    internal static int? TempWriterPid(string name) => AtomicFile.TempWriterPid(name);

    private List<string> ListNames()
    {
        int errno = Processes.FileStat.TryStat(Directory, out var stat);
        if (errno == Processes.LibC.EACCES)
        {
            throw new UnauthorizedAccessException(Directory);
        }

        if (errno != 0 || !stat.IsDirectory)
        {
            // No runs yet is normal; a file where the state directory should be is a mistake to name.
            string? parent = Path.GetDirectoryName(Directory);
            if (File.Exists(Directory) || (parent is not null && File.Exists(parent)))
            {
                throw new RunStoreException($"{(File.Exists(Directory) ? Directory : parent)} is a file, not a state directory");
            }

            return [];
        }

        var names = new List<string>();
        // readdir, not .NET's enumeration: a state directory whose path is not UTF-8 is still listed (README, "Paths are bytes").
        foreach (string name in DirectoryEntries.Names(Directory))
        {
            if (!name.StartsWith('.') && name.EndsWith(Extension, StringComparison.Ordinal))
            {
                names.Add(name);
            }
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    private void Guard(Action action, string what) => Guard(() => { action(); return 0; }, what);

    private T Guard<T>(Func<T> action, string what)
    {
        try
        {
            return action();
        }
        catch (UnauthorizedAccessException)
        {
            throw new RunStoreException($"{what} {Directory}: permission denied");
        }
        catch (IOException e)
        {
            throw new RunStoreException($"{what} {Directory}: {e.Message.TrimEnd('.')}");
        }
    }
}

/// <summary>The run records cannot be written or read; the message names the directory and the reason.</summary>
public sealed class RunStoreException(string message) : Exception(message);
