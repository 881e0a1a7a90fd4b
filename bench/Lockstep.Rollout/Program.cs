using System.Globalization;
using Lockstep.Tests.Rollout;

// A whole rollout at any size: bench/rollout.sh --backend etcd|postgres|serve --hosts N --slots S
// [--seed N] [--parallel N] [--no-faults] [--minutes M] --binary PATH. Prints the seed first and
// the checker's report last; exits 1 on any violation, 2 on bad arguments.
var options = new Dictionary<string, string>(StringComparer.Ordinal);
var flags = new HashSet<string>(StringComparer.Ordinal);
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--no-faults")
    {
        flags.Add(args[i]);
    }
    else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
    {
        options[args[i][2..]] = args[++i];
    }
    else
    {
        return Usage($"unexpected argument '{args[i]}'");
    }
}

string backend = options.GetValueOrDefault("backend", "etcd");
if (backend is not ("etcd" or "postgres" or "serve"))
{
    return Usage($"--backend must be etcd, postgres or serve, not '{backend}'");
}

if (!options.TryGetValue("binary", out string? binary) || !File.Exists(binary))
{
    return Usage("--binary must name the lockstep binary to run");
}

int Number(string name, int fallback) => options.TryGetValue(name, out string? text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
var settings = new RolloutSettings(Number("hosts", 200), Number("slots", 10), Number("seed", Random.Shared.Next()), Path.GetFullPath(binary))
{
    Faults = !flags.Contains("--no-faults"),
    Parallel = Number("parallel", 48),
    Deadline = TimeSpan.FromMinutes(Number("minutes", 15)),
};

// lockstep serve is started as the tests start it: the binary under test, named by LOCKSTEP_BIN.
Environment.SetEnvironmentVariable("LOCKSTEP_BIN", settings.Binary);
await using IRolloutEngine engine = backend switch
{
    "etcd" => await EtcdRolloutEngine.StartAsync(),
    "postgres" => await PostgresRolloutEngine.StartAsync(),
    _ => await ServeRolloutEngine.StartAsync(),
};
var report = await RolloutSimulator.RunAsync(settings, engine, Console.Out);
Console.WriteLine(report);
return report.Holds ? 0 : 1;

static int Usage(string problem)
{
    Console.Error.WriteLine($"rollout: {problem}; usage: bench/rollout.sh [--backend etcd|postgres|serve] [--hosts N] [--slots S] [--seed N] [--parallel N] [--minutes M] [--no-faults] [--binary PATH]");
    return 2;
}
