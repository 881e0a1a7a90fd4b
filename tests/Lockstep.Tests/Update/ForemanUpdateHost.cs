using System.Diagnostics;
using Lockstep.Tests.Support;
using Lockstep.Tests.Support.ForemanDlm;

namespace Lockstep.Tests.Update;

/// <summary>
/// A host updated under a lock of a Foreman DLM test server: one script in each of the five
/// directories appending "STEP LOCK_NAME" to ran.log, and a reboot_cmd that only records that it ran.
/// The environment steers the scripts as in <see cref="UpdateHost"/> (REBOOT=1, NO_UPDATES=1,
/// FAIL_IN=STEP, HOLD_IN=STEP), and GATE=1 makes each script create at.STEP and wait for go.STEP,
/// so a test can look at the server while a step runs.
/// </summary>
internal sealed class ForemanUpdateHost : IDisposable
{
    public const string Host = "db-1.example.com";
    public const string Other = "db-2.example.com";

    /// <summary>With a slash, so the path-encoded name (fleet%2Fdb) is used all the way through.</summary>
    public const string LockName = "fleet/db";

    private readonly bool _ownsServer;

    /// <param name="server">A server shared with other hosts (a fleet); by default one of its own.</param>
    /// <param name="hostName">The host's name in its client certificate.</param>
    public ForemanUpdateHost(ForemanDlmServer? server = null, string hostName = Host)
    {
        _ownsServer = server is null;
        Server = server ?? ForemanDlmServer.Start();
        Dir = new TempDir();
        Dir.File("boot_id", "boot-1\n");
        foreach (string step in UpdateHost.Steps)
        {
            Dir.Script($"{step}.d/10-{step.Replace('_', '-')}", ScriptBody);
        }

        Dir.Script("bin/fake-reboot", $"echo \"reboot $*\" >> '{Dir["ran.log"]}'");
        Config = Server.WriteConfig(hostName, LockName, $"""
            needs_update.d = {Dir["needs_update.d"]}
            pre_update.d = {Dir["pre_update.d"]}
            update.d = {Dir["update.d"]}
            needs_reboot.d = {Dir["needs_reboot.d"]}
            post_update.d = {Dir["post_update.d"]}
            reboot_cmd = {Dir["bin/fake-reboot"]} --now
            state = {StatePath}
            lock = {Dir["var/run/update.lock"]}
            log = {LogFile}
            boot_id_file = {Dir["boot_id"]}
            script_timeout = 30
            kill_grace = 1
            http_timeout = 5
            lock_retry_interval = 0.2
            lock_wait_timeout = 20
            """);
    }

    public ForemanDlmServer Server { get; }

    public TempDir Dir { get; }

    /// <summary>The config file lockstep is run with (<see cref="WriteLegacyConfig"/> replaces it).</summary>
    public string Config { get; private set; }

    public string StatePath => Dir["var/update.state"];

    public string LogFile => Dir["var/log/update.log"];

    public string[] Ran => File.Exists(Dir["ran.log"]) ? File.ReadAllLines(Dir["ran.log"]) : [];

    /// <summary>The steps that ran, in order (ran.log without the lock names).</summary>
    public string[] Steps => [.. Ran.Select(l => l.Split(' ')[0])];

    public string? State => File.Exists(StatePath) ? File.ReadAllText(StatePath) : null;

    public string? Holder => Server.HolderOf(LockName);

    /// <summary>The methods of the requests the server got so far, in order (PUT, GET, DELETE).</summary>
    public string[] Calls => [.. Server.Requests.Select(r => r.Method)];

    /// <summary>
    /// foreman_dlm_updater's example config.ini, untouched but for its paths (moved into the test
    /// directory) and its server, certificate and CA (the test server's, certificate for host.example.com).
    /// </summary>
    public string WriteLegacyConfig()
    {
        var (cert, key) = Server.ClientCertFor("host.example.com");
        string root = Dir.Path;
        Config = Dir.File("config.ini", UpdateOptionsLoaderTests.ForemanDlmUpdaterConfig
            .Replace("/etc/foreman_dlm_updater/", root + "/", StringComparison.Ordinal)
            .Replace("/var/log/foreman_dlm_updater.log", root + "/legacy.log", StringComparison.Ordinal)
            .Replace("/usr/sbin/reboot", Dir["bin/fake-reboot"], StringComparison.Ordinal)
            .Replace("https://foreman.example.com", Server.Url, StringComparison.Ordinal)
            .Replace("/etc/puppetlabs/puppet/ssl/certs/host.example.com.pem", cert, StringComparison.Ordinal)
            .Replace("/etc/puppetlabs/puppet/ssl/private_keys/host.example.com.pem", key, StringComparison.Ordinal)
            .Replace("/etc/ipa/ca.crt", Server.CaPemPath, StringComparison.Ordinal));
        return Config;
    }

    /// <summary>Sets a key of [main] in <see cref="Config"/>, replacing its line (the config has no other section).</summary>
    public void SetMain(string key, string value)
    {
        var lines = File.ReadAllLines(Config).ToList();
        int at = lines.FindIndex(l => l.StartsWith(key + " = ", StringComparison.Ordinal));
        if (at < 0)
        {
            lines.Add($"{key} = {value}");
        }
        else
        {
            lines[at] = $"{key} = {value}";
        }

        File.WriteAllLines(Config, lines);
    }

    public CliResult Update(Dictionary<string, string?>? environment = null, params string[] args) =>
        LockstepCli.RunWith(new CliOptions { Environment = environment ?? [], Timeout = TimeSpan.FromSeconds(30) }, ["update", "--config", Config, .. args]);

    public RunningUpdate Start(Dictionary<string, string?>? environment = null, params string[] args) =>
        new(LockstepCli.Start(new CliOptions { Environment = environment ?? [] }, ["update", "--config", Config, .. args]));

    /// <summary>What a reboot changes for Lockstep: the kernel's boot id.</summary>
    public void Reboot(string bootId = "boot-2") => File.WriteAllText(Dir["boot_id"], bootId + "\n");

    /// <summary>Waits until a script of GATE=1 is at <paramref name="step"/> (or lockstep ended: false).</summary>
    public bool ReachedGate(RunningUpdate run, string step)
    {
        Eventually.WaitFor(() => run.HasExited || File.Exists(Dir[$"at.{step}"]), $"{step} to start");
        return File.Exists(Dir[$"at.{step}"]);
    }

    public void OpenGate(string step) => File.WriteAllText(Dir[$"go.{step}"], "");

    /// <summary>Waits until lockstep's log says <paramref name="text"/>.</summary>
    public void WaitForLog(string text) =>
        Eventually.WaitFor(() => File.Exists(LogFile) && File.ReadAllText(LogFile).Contains(text, StringComparison.Ordinal), $"the log to say '{text}'");

    /// <summary>Kills the script left sleeping by HOLD_IN after lockstep was killed (systemd would kill the whole unit).</summary>
    public void KillHeldScript() => UpdateHost.KillHeldScript(Dir);

    public void Dispose()
    {
        if (_ownsServer)
        {
            Server.Dispose();
        }

        Dir.Dispose();
    }

    private string ScriptBody => $$"""
        root='{{Dir.Path}}'
        echo "$LOCKSTEP_STEP $LOCKSTEP_LOCK_NAME" >> "$root/ran.log"
        if [ "${GATE:-}" = 1 ]; then
          : > "$root/at.$LOCKSTEP_STEP"
          while [ ! -e "$root/go.$LOCKSTEP_STEP" ]; do sleep 0.02; done
        fi
        {{UpdateHost.StepBehaviour}}
        """;
}

/// <summary>A lockstep update started in the background, its output collected.</summary>
internal sealed class RunningUpdate : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    public RunningUpdate(Process process)
    {
        _process = process;
        process.StandardInput.Close();
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public bool HasExited => _process.HasExited;

    public int Pid => _process.Id;

    /// <summary>Waits for the end (at most 30 s: a hang fails the test) and returns what it left.</summary>
    public CliResult Finish()
    {
        if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException("lockstep update did not finish within 30 s");
        }

        _process.WaitForExit();
        return new CliResult(_process.ExitCode, _stdout.Result, _stderr.Result);
    }

    /// <summary>kill -9 of lockstep alone, as a power cut would end it (its scripts live on: their output pipes stay open until they end).</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
