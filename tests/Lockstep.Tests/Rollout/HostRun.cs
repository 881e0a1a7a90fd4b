using System.Diagnostics;

namespace Lockstep.Tests.Rollout;

/// <summary>How one lockstep run of a host ended: its status, whether the simulator killed it (and where it struck), the end of its stderr.</summary>
public sealed record HostRunResult(int ExitCode, string? KilledAs, string StderrTail);

/// <summary>
/// One <c>lockstep update</c> run of a simulated host, started as its systemd unit would start it,
/// with the host's marker in its environment; optionally killed (SIGKILL to every process of the
/// host) after a delay or the moment its state file changes.
/// </summary>
public static class HostRun
{
    public static async Task<HostRunResult> RunAsync(string binary, SimulatedHost host, string marker, bool afterReboot, KillPlan? kill, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = host.Dir,
        };
        info.ArgumentList.Add("update");
        info.ArgumentList.Add("--config");
        info.ArgumentList.Add(host.Config);
        if (afterReboot)
        {
            info.ArgumentList.Add("--after-reboot");
        }

        info.Environment.Remove("RUN_PARTS_REGEX");
        info.Environment.Remove("LOCKSTEP_LOG_LEVEL");
        info.Environment.Remove("LOCKSTEP_CRASH_AT");
        info.Environment[HostProcesses.Variable] = marker;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("lockstep did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        string? killedAs = null;
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var exited = process.WaitForExitAsync(CancellationToken.None);
            Task<string?> killer = kill is null ? Task.FromResult<string?>(null) : KillAsync(kill, host, marker, process, stop.Token);
            try
            {
                await Task.WhenAny(exited, Task.Delay(Timeout.Infinite, cancellationToken));
            }
            finally
            {
                if (!process.HasExited)
                {
                    HostProcesses.KillAll(marker);
                }

                await stop.CancelAsync();
                killedAs = await killer;
                await exited;
            }
        }

        await Task.WhenAll(stdout, stderr);
        cancellationToken.ThrowIfCancellationRequested();
        string[] lines = stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return new HostRunResult(process.ExitCode, killedAs, string.Join(" | ", lines.TakeLast(3)));
    }

    private static async Task<string?> KillAsync(KillPlan plan, SimulatedHost host, string marker, Process process, CancellationToken ct)
    {
        try
        {
            string kind;
            if (plan.AtStateWrite)
            {
                var before = Signature(host.StatePath);
                while (Signature(host.StatePath) == before)
                {
                    await Task.Delay(1, ct);
                }

                kind = RolloutFaults.KillAtStateWrite;
            }
            else
            {
                await Task.Delay(plan.After, ct);
                // lockstep itself and anything else: one of its scripts (or reboot_cmd) runs.
                kind = HostProcesses.Find(marker).Count > 1 ? RolloutFaults.KillInScript : RolloutFaults.KillInLockstep;
            }

            if (process.HasExited)
            {
                return null;
            }

            HostProcesses.KillAll(marker);
            return kind;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private static (bool, long, DateTime) Signature(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? (true, info.Length, info.LastWriteTimeUtc) : (false, 0, default);
    }
}

/// <summary>When to kill a run: after <see cref="After"/>, or (with <see cref="AtStateWrite"/>) the moment the state file changes.</summary>
public sealed record KillPlan(TimeSpan After, bool AtStateWrite);
