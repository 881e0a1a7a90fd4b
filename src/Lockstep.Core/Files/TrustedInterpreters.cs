namespace Lockstep.Files;

/// <summary>
/// The <c>#!</c> interpreters already walked and found trusted while one directory of scripts is
/// listed or run, so that 500 scripts naming <c>/bin/sh</c> walk it once, not 500 times.
/// </summary>
/// <remarks>
/// Remembering a verdict opens no window the walk did not already leave: a trusted path is one that
/// only root or the caller can change (README, "Which paths Lockstep trusts"), and the kernel opens
/// the interpreter by name at exec in any case. Only trusted verdicts are kept, and only for one
/// listing or one run, so a change an administrator makes between runs is always seen.
/// </remarks>
internal sealed class TrustedInterpreters
{
    private readonly HashSet<string> _trusted = new(StringComparer.Ordinal);

    public bool Contains(string interpreter) => _trusted.Contains(interpreter);

    public void Add(string interpreter) => _trusted.Add(interpreter);
}
