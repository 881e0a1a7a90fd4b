using System.Diagnostics;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.State;

/// <summary>A state root, a pristine store and a "live" file system root in one temporary directory, and the CLI pointed at them.</summary>
public sealed class StateSandbox : IDisposable
{
    private readonly TempDir _dir = new();

    public StateSandbox()
    {
        Directory.CreateDirectory(StateRoot);
        Directory.CreateDirectory(PristineDir);
        Directory.CreateDirectory(Live);
    }

    public string Root => _dir.Path;

    public string StateRoot => _dir["state"];

    public string PristineDir => _dir["pristine"];

    public string Live => _dir["live"];

    public string Registry => Path.Combine(PristineDir, "stateful-paths");

    public string StateOf(string path) => StateRoot + path;

    public string PristineOf(string path) => PristineDir + path;

    /// <summary>lockstep with the three roots given by environment, as a refresh hook would see them.</summary>
    public CliResult Run(params string[] args) => LockstepCli.RunWith(Options(), args);

    public CliOptions Options() => new()
    {
        Environment =
        {
            ["LOCKSTEP_STATE_ROOT"] = StateRoot,
            ["LOCKSTEP_PRISTINE_DIR"] = PristineDir,
            ["LOCKSTEP_STATE_REGISTRY"] = null,
            ["STATEFUL_PATH"] = null,
        },
    };

    public void WriteRegistry(params string[] lines) => File.WriteAllText(Registry, string.Concat(lines.Select(l => l + "\n")));

    /// <summary>Writes a file (and its directories) at an absolute path; returns the path.</summary>
    public static string WriteFile(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Runs a system tool (chown, touch, mount) and insists it succeeds.</summary>
    public static void Sh(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.ShouldBe(0, $"{program} {string.Join(' ', args)}: {stderr}");
    }

    /// <summary>Every entry whose name marks it as a lockstep temporary, anywhere below <paramref name="dir"/>.</summary>
    public static List<string> Leftovers(string dir) =>
        [.. Directory.EnumerateFileSystemEntries(dir, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Where(p => Path.GetFileName(p).StartsWith(".lockstep-", StringComparison.Ordinal))];

    public void Dispose() => _dir.Dispose();
}
