using System.Diagnostics;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.Rollout;

/// <summary>
/// A test build of lockstep with defects compiled in (<c>-p:LockstepTestFaults=...</c>, see
/// src/Lockstep.Core/Lockstep.Core.csproj), beside the test binaries and apart from the real build's
/// output and intermediate files. The shipped binary has no such switch, at run time or otherwise.
/// </summary>
public static class FaultBuild
{
    /// <summary>etcd writes without compare-and-swap, PostgreSQL changes without the group's row lock.</summary>
    public const string LockDefects = "NO_CAS+NO_ROW_LOCK";

    /// <summary>The update state rewritten in place, in two halves, instead of atomically.</summary>
    public const string TornState = "TORN_STATE";

    private static readonly SemaphoreSlim OneAtATime = new(1);

    /// <summary>The path of the lockstep binary built with <paramref name="faults"/> (built now, incrementally).</summary>
    public static async Task<string> BinaryAsync(string faults)
    {
        string name = faults.Replace('+', '-').ToLowerInvariant();
        string output = Path.Combine(AppContext.BaseDirectory, "fault-builds", name);
        string project = Path.Combine(LockstepCli.RepositoryRoot(), "src", "Lockstep", "Lockstep.csproj");
        await OneAtATime.WaitAsync();
        try
        {
            var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string arg in new[]
            {
                "build", project, "-c", "Release", "--no-restore", "-nologo", "-v", "quiet",
                $"-p:LockstepTestFaults={faults}", $"-p:OutputPath={output}/", $"-p:IntermediateOutputPath=obj/fault-{name}/",
            })
            {
                info.ArgumentList.Add(arg);
            }

            using var build = Process.Start(info)!;
            var stdout = build.StandardOutput.ReadToEndAsync();
            var stderr = build.StandardError.ReadToEndAsync();
            await build.WaitForExitAsync();
            if (build.ExitCode != 0)
            {
                throw new InvalidOperationException($"the test build with {faults} failed:\n{await stdout}\n{await stderr}");
            }
        }
        finally
        {
            OneAtATime.Release();
        }

        string binary = Path.Combine(output, "lockstep");
        return File.Exists(binary) ? binary : throw new FileNotFoundException($"the test build with {faults} left no {binary}");
    }
}
