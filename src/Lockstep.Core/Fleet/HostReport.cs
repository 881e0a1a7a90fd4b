namespace Lockstep.Fleet;

/// <summary>
/// What one host last said about its update (README, "lockstep fleet"): written by
/// <c>lockstep update</c> at every step change, when it stops and when it ends.
/// </summary>
public sealed record HostReport
{
    /// <summary>The most step changes a report keeps (the timeline of the HTML report is drawn from them).</summary>
    public const int TimelineLength = 50;

    public required string Holder { get; init; }

    public required string Lock { get; init; }

    /// <summary>The step the host is at (the next to run, as its state file says).</summary>
    public required string Step { get; init; }

    public required DateTimeOffset StepSince { get; init; }

    /// <summary>One of <see cref="ReportOutcome"/>'s names.</summary>
    public required string Outcome { get; init; }

    public string? Message { get; init; }

    /// <summary>The exit status of the run that stopped; null while it runs.</summary>
    public int? ExitStatus { get; init; }

    /// <summary>The script (or reboot_cmd) that failed, with its status.</summary>
    public FailedScript? Failure { get; init; }

    public string? BootId { get; init; }

    public string? Version { get; init; }

    public required DateTimeOffset ReportedAt { get; init; }

    /// <summary>When this host last finished an update (lock released).</summary>
    public DateTimeOffset? LastUpdateAt { get; init; }

    /// <summary>The last <see cref="TimelineLength"/> step changes and stops, oldest first.</summary>
    public IReadOnlyList<TimelineEntry> Timeline { get; init; } = [];
}

/// <summary>A step failed: which one, the script that failed and its status.</summary>
public sealed record FailedScript(string Step, string Script, int Status);

/// <summary>One change: the host moved to <see cref="Step"/>, or stopped there with <see cref="Outcome"/>.</summary>
public sealed record TimelineEntry(DateTimeOffset At, string Step, string? Outcome = null, string? Message = null);

/// <summary>A pause of the lock: no Lockstep host is granted a new slot until it is resumed.</summary>
public sealed record PauseRecord(string By, DateTimeOffset At, string Reason);

/// <summary>One operator action on a host's slot (a release by hand), kept with the host's report.</summary>
public sealed record AuditEntry(DateTimeOffset At, string By, string Action, string Reason);
