using System.Text.Json;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.Refresh;

/// <summary>
/// A base directory, lockfile and state directory of their own, and lockstep refresh run against
/// them as os-refresh-config's functional tests run it (the base directory given by
/// $OS_REFRESH_CONFIG_BASE_DIR).
/// </summary>
public sealed class RefreshHost : IDisposable
{
    public const int Nobody = 65534;

    public RefreshHost()
    {
        Base = Temp.Dir("base");
    }

    public TempDir Temp { get; } = new();

    public string Base { get; }

    public string LockFile => Temp["refresh.lock"];

    public string StateDir => Temp["state"];

    /// <summary>A script as os-refresh-config's tests write them: "NAME starting", sleep, "NAME done", exit.</summary>
    public string OrcScript(string phase, string name, int returnCode = 0, int sleep = 0) =>
        Script(phase, name, $"echo {name} starting\nsleep {sleep}\necho {name} done\nexit {returnCode}");

    public string Script(string phase, string name, string body) => Temp.Script($"base/{phase}.d/{name}", body);

    public CliResult Run(params string[] args) => RunWith(new CliOptions(), args);

    public CliResult RunWith(CliOptions options, params string[] args) =>
        LockstepCli.RunWith(WithBase(options), ["refresh", "--lockfile", LockFile, "--state-dir", StateDir, .. args]);

    /// <summary>Only PATH and the base directory in the environment, as os-refresh-config's tests start it.</summary>
    public CliOptions Bare()
    {
        var environment = new Dictionary<string, string?>();
        foreach (string key in Environment.GetEnvironmentVariables().Keys)
        {
            environment[key] = null;
        }

        environment["PATH"] = Environment.GetEnvironmentVariable("PATH");
        return new CliOptions { Environment = environment };
    }

    public CliResult History(params string[] args) => LockstepCli.Run(["history", "--state-dir", StateDir, .. args]);

    /// <summary>The recorded runs, oldest first, as `history --json` prints them.</summary>
    public List<JsonElement> Records(int last = 100)
    {
        var result = History("--json", "--last", last.ToString());
        result.ExitCode.ShouldBe(0, result.ToString());
        using var document = JsonDocument.Parse(result.Stdout);
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    /// <summary>Runs lockstep as user nobody (through setpriv when we are root), for permission cases root would bypass.</summary>
    public static CliResult RunAsNobody(CliOptions options, params string[] args)
    {
        if (Environment.UserName != "root")
        {
            return LockstepCli.RunWith(options, args);
        }

        return LockstepCli.RunWith(options with { Executable = "/usr/bin/setpriv" },
            [$"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", LockstepCli.Binary, .. args]);
    }

    public CliOptions WithBase(CliOptions options)
    {
        var environment = new Dictionary<string, string?>(options.Environment);
        environment.TryAdd("OS_REFRESH_CONFIG_BASE_DIR", Base);
        return options with { Environment = environment };
    }

    public void Dispose() => Temp.Dispose();
}
