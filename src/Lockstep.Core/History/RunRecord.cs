namespace Lockstep.History;

/// <summary>
/// One run as stored in <c>STATE/runs/ID.json</c>. Only <see cref="RunJournal"/> changes it; it is
/// rewritten whole (atomically) as the run goes on, so a reader sees a consistent snapshot.
/// </summary>
public sealed class RunRecord
{
    /// <summary>The file format's version; a reader refuses what it does not know.</summary>
    public int Version { get; set; } = CurrentVersion;

    public const int CurrentVersion = 1;

    /// <summary>UTC start time and pid, so names sort by start: <c>20250102T030405.678Z-1234</c>.</summary>
    public string Id { get; set; } = "";

    public string Command { get; set; } = "";

    public string BaseDir { get; set; } = "";

    /// <summary>Who wrote it, to tell a live run from one that was killed.</summary>
    public ProcessIdentity Process { get; set; } = new();

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public double? DurationSeconds { get; set; }

    public RunOutcome Outcome { get; set; } = RunOutcome.Running;

    public int? ExitStatus { get; set; }

    /// <summary>The one line that says why it failed.</summary>
    public string? Message { get; set; }

    public List<PhaseRecord> Phases { get; set; } = [];

    /// <summary>error.d, when a phase failed and it exists.</summary>
    public PhaseRecord? ErrorHandlers { get; set; }
}

/// <summary>One phase directory's run (or error.d's).</summary>
public sealed class PhaseRecord
{
    public string Name { get; set; } = "";

    public string Directory { get; set; } = "";

    public DateTimeOffset StartedAt { get; set; }

    public double? DurationSeconds { get; set; }

    public RunOutcome Outcome { get; set; } = RunOutcome.Running;

    public int? Status { get; set; }

    public string? Message { get; set; }

    public List<ScriptRecord> Scripts { get; set; } = [];
}

/// <summary>One script's run; <see cref="Status"/> is null while it runs.</summary>
public sealed class ScriptRecord
{
    public string Name { get; set; } = "";

    public string Path { get; set; } = "";

    public DateTimeOffset StartedAt { get; set; }

    public double? DurationSeconds { get; set; }

    public int? Status { get; set; }
}
