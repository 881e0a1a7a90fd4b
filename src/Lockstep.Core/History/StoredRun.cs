using System.Text.Json;

namespace Lockstep.History;

/// <summary>One record file: its record, or why it cannot be read (it is shown as such, never deleted for it).</summary>
public sealed record StoredRun(string Path, RunRecord? Record, string? Problem)
{
    /// <summary>A record is a few KiB; a bigger file is not one.</summary>
    public const int MaxBytes = 4 * 1024 * 1024;

    /// <summary>Reads a record file; null when it vanished in between (pruned by a concurrent run).</summary>
    public static StoredRun? Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = Files.RuntimeFile.Read(path, "run record", MaxBytes, actedOn: false) ?? throw new FileNotFoundException(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return new StoredRun(path, null, "permission denied");
        }
        catch (IOException e)
        {
            return new StoredRun(path, null, Files.FileFailure.Message(e));
        }

        return Parse(path, bytes);
    }

    /// <summary>Valid JSON can still hold null where a list, a name or an entry belongs; such a record is shown as unreadable.</summary>
    private static string? Damage(RunRecord record)
    {
        if (record.Command is null || record.BaseDir is null || record.Process is null)
        {
            return "null where the command, base directory or process belongs";
        }

        if (record.Phases is null || record.Phases.Any(phase => phase is null))
        {
            return "null where the list of phases or a phase belongs";
        }

        foreach (var phase in record.ErrorHandlers is { } handlers ? [.. record.Phases, handlers] : record.Phases)
        {
            if (phase.Name is null || phase.Directory is null || phase.Scripts is null || phase.Scripts.Any(s => s is null || s.Name is null || s.Path is null))
            {
                return $"null where a name, directory, script list or script of phase '{phase.Name}' belongs";
            }
        }

        return null;
    }

    internal static StoredRun Parse(string path, byte[] bytes)
    {
        RunRecord? record;
        try
        {
            record = JsonSerializer.Deserialize(bytes, HistoryJson.Default.RunRecord);
        }
        catch (JsonException e)
        {
            return new StoredRun(path, null, bytes.Length == 0 ? "empty file" : $"not a valid run record ({e.Message.Split('.')[0]})");
        }

        if (record is null || string.IsNullOrEmpty(record.Id))
        {
            return new StoredRun(path, null, "not a run record (no id)");
        }

        if (Damage(record) is { } damage)
        {
            return new StoredRun(path, null, $"a damaged run record ({damage})");
        }

        return record.Version > RunRecord.CurrentVersion
            ? new StoredRun(path, null, $"written by a newer Lockstep (format version {record.Version})")
            : new StoredRun(path, record, null);
    }
}
