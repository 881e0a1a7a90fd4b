namespace Lockstep.Processes;

/// <summary>What to run: an executable path run directly (never through a shell), its arguments and environment.</summary>
/// <param name="Path">The executable; it is exec'd as given, with argv[0] equal to it.</param>
/// <param name="Arguments">Arguments after argv[0].</param>
/// <param name="Environment">The complete environment of the child.</param>
/// <param name="Timeout">Kill the process and its whole tree after this long (<see cref="TimeoutKill"/>); null for no limit.</param>
/// <param name="KillGrace">Between TERM and KILL when the timeout fires.</param>
/// <param name="TimeoutEndsRun">The timeout is the whole run's deadline: it ends every process the run started, not only this one's tree.</param>
/// <param name="Fd3">A descriptor of ours the child gets as its fd 3 (used to read back environment.d).</param>
/// <param name="Started">Told the child's pid once it runs, before the wait for it (a record of it for the next run); must not throw.</param>
/// <param name="Executable">The file <see cref="Path"/> named when it was checked (<see cref="Files.Trust.Open"/>): a binary is executed through this descriptor, so a file swapped in since cannot run; argv[0] stays <see cref="Path"/>.</param>
public sealed record ProcessSpec(
    string Path,
    IReadOnlyList<string> Arguments,
    ProcessEnvironment Environment,
    TimeSpan? Timeout = null,
    TimeSpan? KillGrace = null,
    int? Fd3 = null,
    bool TimeoutEndsRun = false,
    Microsoft.Win32.SafeHandles.SafeFileHandle? Executable = null,
    Action<int>? Started = null)
{
    public static readonly TimeSpan DefaultKillGrace = TimeSpan.FromSeconds(10);
}
