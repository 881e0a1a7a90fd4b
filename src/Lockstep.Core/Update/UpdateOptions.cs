using Lockstep.Logging;
using Lockstep.Windows;

namespace Lockstep.Update;

/// <summary>
/// The settings of <c>lockstep update</c>, read once at start-up from <c>[main]</c> of the config
/// file (foreman_dlm_updater's config.ini is valid as it is). Relative paths are relative to the
/// config file's directory. Defaults follow the FHS, not /etc.
/// </summary>
public sealed record UpdateOptions
{
    public const string DefaultConfigPath = "/etc/lockstep/update.ini";

    /// <summary>The config file the options came from.</summary>
    public required string ConfigPath { get; init; }

    /// <summary><c>log</c>: Lockstep's own log lines, besides stderr. Default /var/log/lockstep/update.log.</summary>
    public string LogPath { get; init; } = "/var/log/lockstep/update.log";

    /// <summary><c>logretention</c>: rotated daily logs kept, in days. Default 7.</summary>
    public int LogRetentionDays { get; init; } = 7;

    /// <summary><c>loglevel</c>: lowest level written to the log file. Default INFO.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Info;

    /// <summary><c>lock</c>: the file locked (flock) so that only one run goes at a time. Default /run/lockstep/update.lock.</summary>
    public string RunLockPath { get; init; } = "/run/lockstep/update.lock";

    /// <summary><c>state</c>: the state file. Default /var/lib/lockstep/update.state.</summary>
    public string StatePath { get; init; } = "/var/lib/lockstep/update.state";

    /// <summary><c>lock_name</c>: the fleet-wide lock (required, as in foreman_dlm_updater).</summary>
    public required string LockName { get; init; }

    /// <summary><c>holder_id</c>: who this host holds the lock as. Default the host name.</summary>
    public required string HolderId { get; init; }

    /// <summary>The script directory of each step that has one (<c>needs_update.d</c> ...). Default beside the config file.</summary>
    public required IReadOnlyDictionary<UpdateStep, string> ScriptDirectories { get; init; }

    /// <summary><c>reboot_cmd</c>, split into arguments (no shell). Default <c>systemctl reboot</c>.</summary>
    public IReadOnlyList<string> RebootCommand { get; init; } = ["systemctl", "reboot"];

    /// <summary><c>script_timeout</c>: each script (and reboot_cmd) is killed after this long. Default 3600 s; 0 (null) disables.</summary>
    public TimeSpan? ScriptTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary><c>kill_grace</c>: between TERM and KILL of a timed-out script. Default 10 s.</summary>
    public TimeSpan KillGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>http_timeout</c>: limit of every call to a lock server. Default 30 s.</summary>
    public TimeSpan HttpTimeout { get; init; } = Locks.Operator.LockConfig.DefaultHttpTimeout;

    /// <summary><c>lock_retry_interval</c>: pause between tries while another host holds the lock, ±20% jitter. Default 60 s.</summary>
    public TimeSpan LockRetryInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary><c>lock_wait_timeout</c>: give up waiting for the lock after this long. Default 0 (null): wait forever.</summary>
    public TimeSpan? LockWaitTimeout { get; init; }

    /// <summary><c>boot_id_file</c>: the kernel's id of the current boot. Default /proc/sys/kernel/random/boot_id.</summary>
    public string BootIdFile { get; init; } = "/proc/sys/kernel/random/boot_id";

    /// <summary><c>boot_time_file</c>: its <c>btime</c> line is when the current boot started. Default /proc/stat.</summary>
    public string BootTimeFile { get; init; } = "/proc/stat";

    /// <summary><c>maintenance_window</c> (any number): when this host may take the lock and reboot. Default none: any time (README, "Maintenance windows").</summary>
    public MaintenanceSchedule Windows { get; init; } = new([]);

    /// <summary><c>window_min_remaining</c>: the lock is taken only with at least this much of a window left. Default 30 min.</summary>
    public TimeSpan WindowMinRemaining { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary><c>metrics_file</c>: Prometheus textfile written at every change of step (README, "Metrics"). Default none.</summary>
    public string? MetricsFile { get; init; }

    /// <summary><c>notify.d</c>: notifiers run on events (README, "Notifications"). Default beside the config file; may be missing unless set.</summary>
    public string NotifyDirectory { get; init; } = "";

    /// <summary>Whether <c>notify.d</c> was set, so that a missing directory is a mistake rather than "no notifiers".</summary>
    public bool NotifyDirectoryRequired { get; init; }

    /// <summary><c>notify_timeout</c>: limit of each notifier. Default 30 s.</summary>
    public TimeSpan NotifyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Unknown <c>[main]</c> keys, reported as warnings (typos would otherwise go unnoticed).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
