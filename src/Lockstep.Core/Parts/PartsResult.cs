namespace Lockstep.Parts;

public enum PartsEnd
{
    Succeeded,

    /// <summary>A part failed (or several, with ContinueOnError).</summary>
    PartFailed,

    /// <summary>The run's deadline passed; the running part was killed or the next was not started.</summary>
    DeadlineExceeded,

    /// <summary>Lockstep received INT, TERM or HUP and passed it on.</summary>
    Interrupted,
}

/// <summary>How a directory's run ended, with every part that ran, in order.</summary>
public sealed record PartsResult(PartsEnd End, int ExitStatus, IReadOnlyList<PartRun> Runs, PartRun? Failed)
{
    public bool Succeeded => End == PartsEnd.Succeeded;
}
