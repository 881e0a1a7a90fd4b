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
    private readonly Dictionary<string, int[]> _pids = [];
    private readonly List<ProcEntry> _seen = [];

    /// <summary>
    /// Reads the pid files (one or more pids a line; a missing file has none). Call it as soon as
    /// lockstep has exited, before any assertion, so that the cleanup knows every process.
    /// </summary>
    public void Collect(params string[] files)
    {
        foreach (string file in files)
        {
            int[] pids = File.Exists(file)
                ? [.. File.ReadAllText(file).Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(t => int.Parse(t, CultureInfo.InvariantCulture))]
                : [];
            _pids[file] = pids;
            foreach (int pid in pids)
            {
                if (ProcessTable.TryRead(pid) is { } entry)
                {
                    _seen.Add(entry);
                }
            }
        }
    }

    /// <summary>The pids collected from <paramref name="file"/>.</summary>
    public IReadOnlyList<int> Pids(string file) => _pids[file];

    /// <summary>Those of them that still run.</summary>
    public List<int> StillRunning(string file) => [.. _pids[file].Where(ProcessProbe.IsAlive)];

    public void Dispose()
    {
        foreach (var process in _seen.Where(ProcessTable.IsRunning))
        {
            _ = LibC.kill(process.Pid, LibC.SIGKILL);
        }
    }
}
