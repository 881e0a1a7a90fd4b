namespace Lockstep.Locks.Foreman;

/// <summary>The three calls of the DLM API on <c>/api/dlmlocks/{name}/lock</c>.</summary>
internal enum DlmCall
{
    Acquire,
    Release,
    Show,
}

internal enum DlmOutcomeKind
{
    /// <summary>200: acquired, released or shown; Lock is the server's description.</summary>
    Done,

    /// <summary>404: the server has no lock of that name.</summary>
    Unknown,

    /// <summary>412: held by another host, disabled, or this host not allowed; a GET tells which.</summary>
    Conflict,
}

internal sealed record DlmOutcome(DlmOutcomeKind Kind, DlmLock? Lock = null);
