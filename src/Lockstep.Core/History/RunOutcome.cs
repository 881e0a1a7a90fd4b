using System.Text.Json.Serialization;

namespace Lockstep.History;

/// <summary>How a run, a phase or error.d ended; <see cref="Running"/> until it has.</summary>
[JsonConverter(typeof(RunOutcomeJsonConverter))]
public enum RunOutcome
{
    Running,

    Succeeded,

    Failed,

    /// <summary>The run's --timeout passed and its processes were killed.</summary>
    TimedOut,

    /// <summary>Lockstep received INT, TERM or HUP.</summary>
    Interrupted,

    /// <summary>A phase whose directory does not exist.</summary>
    Skipped,

    /// <summary>Another run held the lock.</summary>
    LockHeld,

    /// <summary>The run could not start (lockfile unusable); nothing ran.</summary>
    NotStarted,

    /// <summary>Never written: a record still "running" whose process is gone (kill -9, crash, power loss).</summary>
    DidNotFinish,
}
