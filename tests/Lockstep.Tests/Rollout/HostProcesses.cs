using System.Globalization;
using System.Text;
using Lockstep.Processes;

namespace Lockstep.Tests.Rollout;

/// <summary>
/// The processes of the simulation, found by a marker in their environment (lockstep passes its
/// environment on to scripts and reboot_cmd): <c>LOCKSTEP_ROLLOUT=RUN/HOST</c>. Killing a host is
/// SIGKILL to every process carrying its marker, as a crash of its unit (or of the host) ends them all.
/// </summary>
public static class HostProcesses
{
    public const string Variable = "LOCKSTEP_ROLLOUT";

    /// <summary>Processes whose marker starts with <paramref name="prefix"/> (a run's "RUN/" or one host's "RUN/HOST"), with their command lines.</summary>
    public static List<(int Pid, string Command)> Find(string prefix)
    {
        byte[] wanted = Encoding.UTF8.GetBytes($"{Variable}={prefix}");
        var found = new List<(int, string)>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                byte[] environ = File.ReadAllBytes($"{dir}/environ");
                if (Matches(environ, wanted) && ProcessTable.TryRead(pid) is { HasEnded: false })
                {
                    found.Add((pid, File.ReadAllText($"{dir}/cmdline").Replace('\0', ' ').Trim()));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    /// <summary>SIGKILL to every process of <paramref name="prefix"/>, again until none is left (a dying script may have forked).</summary>
    public static void KillAll(string prefix)
    {
        for (int round = 0; round < 20; round++)
        {
            var left = Find(prefix);
            if (left.Count == 0)
            {
                return;
            }

            foreach (var (pid, _) in left)
            {
                _ = LibC.kill(pid, LibC.SIGKILL);
            }

            Thread.Sleep(10);
        }
    }

    private static bool Matches(byte[] environ, byte[] wanted)
    {
        var span = environ.AsSpan();
        while (span.Length > 0)
        {
            int end = span.IndexOf((byte)0);
            var entry = end < 0 ? span : span[..end];
            if (entry.StartsWith(wanted))
            {
                return true;
            }

            span = end < 0 ? [] : span[(end + 1)..];
        }

        return false;
    }
}
