using System.Globalization;
using Lockstep.Processes;

namespace Lockstep.Tests.Support.Servers;

/// <summary>
/// Where test servers keep their data (tmpfs when there is one): a directory per server that
/// records the test process owning it and the server pids, so the next run kills and removes
/// whatever a crashed run left behind.
/// </summary>
public static class ServerRuns
{
    private const string OwnerFile = "owner.pid";
    private const string PidsFile = "server.pids";

    public static string Root { get; } = Directory.Exists("/dev/shm")
        ? "/dev/shm/lockstep-test-servers"
        : Path.Combine(Path.GetTempPath(), "lockstep-test-servers");

    /// <summary>A fresh directory for one server (mode 0755), after reaping leftovers of dead test processes.</summary>
    public static string NewRunDirectory(string kind)
    {
        ReapStale();
        Directory.CreateDirectory(Root);
        string dir = Path.Combine(Root, $"{kind}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(dir, (UnixFileMode)0b111_101_101);
        File.WriteAllText(Path.Combine(dir, OwnerFile), $"{Environment.ProcessId} {StartTicks(Environment.ProcessId)}");
        StartWatchdog(dir);
        return dir;
    }

    // Should this test process die without disposing its fixtures, the watchdog stops its servers
    // (QUIT lets PostgreSQL end its children, KILL follows) and removes their data.
    private const string Watchdog = """
        owner=$1 dir=$2
        while kill -0 "$owner" 2>/dev/null; do sleep 1; done
        [ -f "$dir/server.pids" ] || exit 0
        while read -r pid _; do kill -QUIT "$pid" 2>/dev/null; done < "$dir/server.pids"
        sleep 2
        while read -r pid _; do kill -KILL "$pid" 2>/dev/null; done < "$dir/server.pids"
        rm -rf "$dir"
        """;

    private static void StartWatchdog(string dir)
    {
        var info = new System.Diagnostics.ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (string arg in new[] { "-c", Watchdog, "lockstep-test-watchdog", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), dir })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(info);
    }

    public static void RecordPid(string runDirectory, int pid) =>
        File.AppendAllText(Path.Combine(runDirectory, PidsFile), $"{pid} {StartTicks(pid)}\n");

    /// <summary>Kills the servers of every run whose owning test process is gone, and removes its directory.</summary>
    public static void ReapStale()
    {
        if (!Directory.Exists(Root))
        {
            return;
        }

        foreach (string dir in Directory.GetDirectories(Root))
        {
            if (IsOwned(dir))
            {
                continue;
            }

            string pids = Path.Combine(dir, PidsFile);
            if (File.Exists(pids))
            {
                foreach (string line in File.ReadAllLines(pids))
                {
                    if (IsAlive(line))
                    {
                        _ = LibC.kill(int.Parse(line.Split(' ')[0], CultureInfo.InvariantCulture), 9);
                    }
                }
            }

            Remove(dir);
        }
    }

    public static void Remove(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// Whether the test process that made <paramref name="dir"/> still runs. One that has only just
    /// made it (here or in a parallel fixture) may not have written its owner file yet, or not
    /// wholly: then the pid in the directory's name says whose it is.
    /// </summary>
    private static bool IsOwned(string dir)
    {
        try
        {
            if (IsAlive(File.ReadAllText(Path.Combine(dir, OwnerFile))))
            {
                return true;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        string[] name = Path.GetFileName(dir).Split('-');
        return name.Length >= 3 && int.TryParse(name[^2], CultureInfo.InvariantCulture, out int pid) && StartTicks(pid) != "gone";
    }

    // "pid starttime": the start time (from /proc/PID/stat) tells a live process from a recycled pid.
    private static bool IsAlive(string record)
    {
        string[] parts = record.Trim().Split(' ');
        return parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out int pid) && StartTicks(pid) == parts[1];
    }

    private static string StartTicks(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19];
        }
        catch (IOException)
        {
            return "gone";
        }
    }
}
