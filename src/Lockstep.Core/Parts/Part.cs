using Lockstep.Processes;

namespace Lockstep.Parts;

/// <summary>One runnable script of a directory: its bare name and the path it is run by.</summary>
public sealed record Part(string Name, string Path);

/// <summary>How one part's run went.</summary>
public sealed record PartRun(Part Part, DateTimeOffset StartedAt, TimeSpan Duration, ProcessOutcome Outcome)
{
    public int Status => Outcome.ShellStatus;
}
