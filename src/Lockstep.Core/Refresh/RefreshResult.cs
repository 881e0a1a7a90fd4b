using Lockstep.History;

namespace Lockstep.Refresh;

/// <summary>What made a phase fail: the phase, the script (or the phase directory when no script was at fault), its status.</summary>
public sealed record PhaseFailure(string Phase, string Script, int Status, RunOutcome Outcome, string Message);

/// <summary>How a refresh ended.</summary>
internal sealed record RefreshResult(RunOutcome Outcome, int ExitStatus, PhaseFailure? Failure, int PhasesRun, int ScriptsRun);
