using System.Text.Json;

namespace Lockstep.History;

/// <summary>Reads run records for display: a record still "running" whose process is gone did not finish.</summary>
public static class RunHistory
{
    /// <summary>The newest <paramref name="count"/> runs, oldest first.</summary>
    public static IReadOnlyList<StoredRun> Load(RunStore store, int count, Func<ProcessIdentity, bool>? isAlive = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var runs = store.LoadLast(count);
        foreach (var run in runs)
        {
            if (run.Record is { } record)
            {
                MarkUnfinished(record, isAlive ?? (static p => p.IsAlive()));
            }
        }

        return runs;
    }

    /// <summary>Turns "running" into "did_not_finish" (the run, its phase, error.d) when the writer is no longer alive.</summary>
    public static void MarkUnfinished(RunRecord record, Func<ProcessIdentity, bool> isAlive)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(isAlive);
        if (record.Outcome != RunOutcome.Running || isAlive(record.Process))
        {
            return;
        }

        record.Outcome = RunOutcome.DidNotFinish;
        foreach (var phase in record.Phases.Append(record.ErrorHandlers))
        {
            if (phase is { Outcome: RunOutcome.Running })
            {
                phase.Outcome = RunOutcome.DidNotFinish;
            }
        }
    }

    /// <summary>The readable records as a JSON array, for machines (unreadable files are left out).</summary>
    public static string ToJson(IReadOnlyList<StoredRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var records = runs.Where(r => r.Record is not null).Select(r => r.Record!).ToList();
        return JsonSerializer.Serialize(records, HistoryJson.Default.ListRunRecord) + "\n";
    }
}
