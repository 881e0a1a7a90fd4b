using System.Text.Json.Serialization;

namespace Lockstep.History;

/// <summary>How a run, a phase or error.d ended; <see cref="Running"/> until it has.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunOutcome>))]
public enum RunOutcome
{
    [JsonStringEnumMemberName("running")]
    Running,

    [JsonStringEnumMemberName("succeeded")]
    Succeeded,

    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>The run's --timeout passed and its processes were killed.</summary>
    [JsonStringEnumMemberName("timed_out")]
    TimedOut,

    /// <summary>Lockstep received INT, TERM or HUP.</summary>
    [JsonStringEnumMemberName("interrupted")]
    Interrupted,

    /// <summary>A phase whose directory does not exist.</summary>
    [JsonStringEnumMemberName("skipped")]
    Skipped,

    /// <summary>Another run held the lock.</summary>
    [JsonStringEnumMemberName("lock_held")]
    LockHeld,

    /// <summary>The run could not start (lockfile unusable); nothing ran.</summary>
    [JsonStringEnumMemberName("not_started")]
    NotStarted,

    /// <summary>Never written: a record still "running" whose process is gone (kill -9, crash, power loss).</summary>
    [JsonStringEnumMemberName("did_not_finish")]
    DidNotFinish,
}
