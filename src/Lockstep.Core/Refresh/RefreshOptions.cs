using Lockstep.Parts;
using Lockstep.Processes;

namespace Lockstep.Refresh;

/// <summary>One refresh run, as the command line or a caller describes it.</summary>
public sealed record RefreshOptions(string BaseDirectory, ProcessEnvironment Environment)
{
    public const string DefaultLockFile = "/var/run/os-refresh-config.lock";

    public const string DefaultStateDirectory = "/var/lib/lockstep";

    /// <summary>error.d gets this long by default: enough to report, too short to hold a host's refreshes hostage.</summary>
    public static readonly TimeSpan DefaultErrorTimeout = TimeSpan.FromSeconds(300);

    /// <summary>The phases to run, in canonical order (default: all four).</summary>
    public IReadOnlyList<string> Phases { get; init; } = RefreshPhases.All;

    /// <summary>Held with an exclusive flock for the whole run; created if missing, never deleted. Default os-refresh-config's.</summary>
    public string LockFile { get; init; } = DefaultLockFile;

    /// <summary>How long to wait for the lock before giving up with status 11; zero: not at all (os-refresh-config).</summary>
    public TimeSpan WaitLock { get; init; }

    /// <summary>Deadline for all phases together; null for none.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Limit for each script; null for none.</summary>
    public TimeSpan? ScriptTimeout { get; init; }

    /// <summary>Bound on the whole error.d run (default 300 s); null for none.</summary>
    public TimeSpan? ErrorTimeout { get; init; } = DefaultErrorTimeout;

    public TimeSpan KillGrace { get; init; } = ProcessSpec.DefaultKillGrace;

    public PartNameFilter NameFilter { get; init; } = PartNameFilter.Default;

    /// <summary>Lockstep's state root; run records go in its <c>runs</c> directory (default /var/lib/lockstep).</summary>
    public string StateDirectory { get; init; } = DefaultStateDirectory;

    /// <summary><c>--metrics-file</c>: Prometheus textfile written when the refresh ends (README, "Metrics"); none by default.</summary>
    public string? MetricsFile { get; init; }
}
