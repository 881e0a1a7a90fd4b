namespace Lockstep.Processes;

public enum ProcessEnd
{
    /// <summary>The process exited by itself; Code is its exit status.</summary>
    Exited,

    /// <summary>The process was killed by a signal it did not expect from us; Code is the signal.</summary>
    Signaled,

    /// <summary>Its timeout fired and we killed its tree; Code is the signal that ended it.</summary>
    TimedOut,

    /// <summary>exec failed; Code is the errno.</summary>
    SpawnFailed,

    /// <summary>exec failed because the #! interpreter does not exist (the file itself does).</summary>
    InterpreterMissing,
}

/// <summary>How a process ended.</summary>
public readonly record struct ProcessOutcome(ProcessEnd End, int Code)
{
    /// <summary>Status reported for a timed-out script, as coreutils' timeout does.</summary>
    public const int TimeoutStatus = 124;

    public bool Succeeded => End == ProcessEnd.Exited && Code == 0;

    /// <summary>The status a shell would report: the exit code, 128+N for signal N, 124 for a timeout, 126/127 when exec failed.</summary>
    public int ShellStatus => End switch
    {
        ProcessEnd.Exited => Code,
        ProcessEnd.Signaled => 128 + Code,
        ProcessEnd.TimedOut => TimeoutStatus,
        ProcessEnd.SpawnFailed when Code == LibC.ENOENT => 127,
        // A missing #! interpreter is "command not found" to a shell, and dib-run-parts exits 127 for it.
        ProcessEnd.InterpreterMissing => 127,
        _ => 126,
    };
}
