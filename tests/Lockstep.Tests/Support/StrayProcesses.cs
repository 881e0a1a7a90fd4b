using System.Globalization;
using Lockstep.Processes;

namespace Lockstep.Tests.Support;

/// <summary>
/// Processes that scripts under test start and announce in pid files. Whatever of them still runs
/// when the test ends is killed, so a failing test (or one whose daemon must survive lockstep)
/// leaves nothing behind. Each is known by pid and start time, so a reused pid is never hit.
/// </summary>
public sealed class StrayProcesses : IDisposable
{
    private readonly List<ProcEntry> _known = [];

    /// <summary>The pids written (one or more a line, space-separated) to <paramref name="file"/>, remembered for the cleanup.</summary>
    internal IReadOnlyList<int> Read(string file)
    {
        var pids = File.ReadAllText(file).Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Select(text => int.Parse(text, CultureInfo.InvariantCulture)).ToList();
        foreach (int pid in pids)
        {
            if (ProcessTable.TryRead(pid) is { } entry)
            {
                _known.Add(entry);
            }
        }

        return pids;
    }

    /// <summary>The pids of <paramref name="file"/> that still run.</summary>
    internal List<int> StillRunning(string file) => [.. Read(file).Where(ProcessProbe.IsAlive)];

    public void Dispose()
    {
        foreach (var process in _known.Where(ProcessTable.IsRunning))
        {
            _ = LibC.kill(process.Pid, LibC.SIGKILL);
        }
    }
}
