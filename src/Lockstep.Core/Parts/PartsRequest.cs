using Lockstep.Processes;

namespace Lockstep.Parts;

/// <summary>One run of one directory.</summary>
public sealed record PartsRequest(string Directory, ProcessEnvironment Environment)
{
    public PartOrderKind Order { get; init; } = PartOrderKind.Numeric;

    public PartNameFilter NameFilter { get; init; } = PartNameFilter.Default;

    /// <summary>Run every part and report the last failure (Debian run-parts) instead of stopping at the first.</summary>
    public bool ContinueOnError { get; init; }

    /// <summary>Limit for each script; null for none.</summary>
    public TimeSpan? ScriptTimeout { get; init; }

    public TimeSpan KillGrace { get; init; } = ProcessSpec.DefaultKillGrace;

    /// <summary>Time left for the whole run (refresh --timeout); null for no deadline.</summary>
    public Func<TimeSpan?> TimeLeft { get; init; } = static () => null;

    /// <summary>Told before each part starts (for run records).</summary>
    public Action<Part>? OnStarting { get; init; }

    /// <summary>Told after each part ends.</summary>
    public Action<PartRun>? OnFinished { get; init; }
}
