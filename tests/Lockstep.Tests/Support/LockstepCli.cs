using System.Diagnostics;

namespace Lockstep.Tests.Support;

/// <summary>What a finished lockstep process left: its status and everything it printed.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>Runs the built lockstep binary as a user would, from the command line.</summary>
public static class LockstepCli
{
    private static readonly Lazy<string> BinaryPath = new(FindBinary);

    /// <summary>The lockstep executable under test ($LOCKSTEP_BIN, else the build output next to these tests).</summary>
    public static string Binary => BinaryPath.Value;

    public static CliResult Run(params string[] args) => RunWith(new CliOptions(), args);

    public static CliResult RunWith(CliOptions options, params string[] args)
    {
        using var process = Start(options, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (options.Stdin is { } input)
        {
            process.StandardInput.Write(input);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(options.Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"lockstep {string.Join(' ', args)} did not finish within {options.Timeout}");
        }

        process.WaitForExit();
        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Starts lockstep without waiting (for signal and crash tests); stdout and stderr are redirected.</summary>
    public static Process Start(CliOptions options, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(options);
        string executable = options.Executable ?? Binary;
        if (options.SignalDisposition is { } disposition)
        {
            // env(1) sets the disposition and execs lockstep in the same process, so Id stays lockstep's.
            args = [disposition, executable, .. args];
            executable = "/usr/bin/env";
        }

        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = options.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // Tests must not depend on the developer's own settings.
        info.Environment.Remove("RUN_PARTS_REGEX");
        info.Environment.Remove("LOCKSTEP_LOG_LEVEL");
        info.Environment.Remove("OS_REFRESH_CONFIG_BASE_DIR");
        // RUN_PARTS_REGEX follows the caller's locale: one fixed locale, whatever the CI exports.
        foreach (string name in info.Environment.Keys.Where(name => name == "LANG" || name.StartsWith("LC_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }

        info.Environment["LANG"] = "C.UTF-8";
        foreach (var (key, value) in options.Environment)
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        return Process.Start(info) ?? throw new InvalidOperationException("lockstep did not start");
    }

    private static string FindBinary()
    {
        if (Environment.GetEnvironmentVariable("LOCKSTEP_BIN") is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }

        // tests/Lockstep.Tests/bin/<Configuration>/net10.0/ → src/Lockstep/bin/<Configuration>/net10.0/linux-x64/lockstep
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        string configuration = testBin.Parent!.Name;
        string root = RepositoryRoot();
        string path = Path.Combine(root, "src", "Lockstep", "bin", configuration, "net10.0", "linux-x64", "lockstep");
        return File.Exists(path) ? path : throw new FileNotFoundException($"build lockstep first: {path} is missing");
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Lockstep.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Lockstep.slnx not found above the test binaries");
    }
}

/// <summary>How to start lockstep: extra environment (null removes a variable), stdin, cwd, a time limit.</summary>
public sealed record CliOptions
{
    public Dictionary<string, string?> Environment { get; init; } = [];

    public string? Stdin { get; init; }

    public string? WorkingDirectory { get; init; }

    /// <summary>Another path to start (a symlink named after a drop-in).</summary>
    public string? Executable { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// An env(1) option such as <c>--default-signal=INT</c>: a test run started as a background job
    /// of a script inherits INT ignored, which lockstep keeps, as every program does.
    /// </summary>
    public string? SignalDisposition { get; init; }
}
