using System.Diagnostics;
using System.Text.Json;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.Update;

/// <summary>
/// Where an <see cref="UpdateHost"/>'s lock lives: the <c>[main]</c> line choosing the backend, the
/// backend's own section, and a shell test (run by every script, with <c>$root</c> the host's
/// directory) that succeeds while this host holds the lock.
/// </summary>
public sealed record HostBackend(string Main, string Section, string HeldProbe)
{
    /// <summary>backend = local, the lock file in var/local.lock.</summary>
    public static HostBackend Local { get; } = new(
        "backend = local", "[local]\npath = var/local.lock", $$"""grep -q '"holder": "{{UpdateHost.Holder}}"' "$root/var/local.lock" 2>/dev/null""");

    /// <summary>Asks <c>lockstep lock status</c>, as an operator would, whether this host is among the holders.</summary>
    public static string StatusProbe =>
        $$"""'{{LockstepCli.Binary}}' lock status --json --config "$root/update.ini" 2>/dev/null | grep -q '{"id":"{{UpdateHost.Holder}}","self":true}'""";
}

/// <summary>
/// A host to update, in a temporary directory: a config using <see cref="HostBackend"/> (backend =
/// local unless told), one script in each of the five directories and a reboot_cmd that only
/// records that it ran. Every script, and reboot_cmd, appends a line to ran.log ending in "locked"
/// or "free" (whether this host holds the lock then): "STEP locked|free LOCK_NAME" and
/// "reboot ARGS locked|free". The environment steers them: REBOOT=1 makes needs_reboot ask for a
/// reboot, NO_UPDATES=1 makes needs_update find nothing, FAIL_IN=STEP makes that step's script
/// exit 3, HOLD_IN=STEP makes it write its pid to held.pid and sleep, REBOOT_STATUS=N makes
/// reboot_cmd exit N.
/// </summary>
internal sealed class UpdateHost : IDisposable
{
    public const string Holder = "test-host";
    public const string LockName = "fleet";

    private readonly string _extraMain;
    private readonly string _lockName;

    public UpdateHost(string extraMain = "", HostBackend? backend = null, string lockName = LockName)
    {
        _extraMain = extraMain;
        _lockName = lockName;
        Backend = backend ?? HostBackend.Local;
        Dir = new TempDir();
        Dir.File("boot_id", "boot-1\n");
        foreach (string step in Steps)
        {
            Dir.Script($"{step}.d/10-{step.Replace('_', '-')}", ScriptBody);
        }

        Dir.Script("bin/fake-reboot", $"root='{Dir.Path}'\nif {Backend.HeldProbe}; then held=locked; else held=free; fi\necho \"reboot $* $held\" >> \"$root/ran.log\"\nexit ${{REBOOT_STATUS:-0}}");
        WriteConfig(Backend);
    }

    public static IReadOnlyList<string> Steps { get; } = ["needs_update", "pre_update", "update", "needs_reboot", "post_update"];

    public TempDir Dir { get; }

    public HostBackend Backend { get; }

    public string Config => Dir["update.ini"];

    public string StatePath => Dir["var/update.state"];

    public string LockFile => Dir["var/local.lock"];

    public string LogFile => Dir["var/log/update.log"];

    /// <summary>The lines of ran.log: what the scripts and reboot_cmd saw, in order.</summary>
    public string[] Ran => File.Exists(Dir["ran.log"]) ? File.ReadAllLines(Dir["ran.log"]) : [];

    public string? State => File.Exists(StatePath) ? File.ReadAllText(StatePath) : null;

    /// <summary>The holder of the lock in the local lock file, or null when it is free.</summary>
    public string? LockHolder
    {
        get
        {
            if (!File.Exists(LockFile))
            {
                return null;
            }

            using var json = JsonDocument.Parse(File.ReadAllText(LockFile));
            return json.RootElement.GetProperty("locks").TryGetProperty(LockName, out var entry) ? entry.GetProperty("holder").GetString() : null;
        }
    }

    /// <summary>(Re)writes update.ini for <paramref name="backend"/>, e.g. to cut the host off from its lock server; the scripts keep their probe.</summary>
    public void WriteConfig(HostBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        string main = $"""
            {backend.Main}
            holder_id = {Holder}
            lock_name = {_lockName}
            state = var/update.state
            lock = var/run/update.lock
            log = var/log/update.log
            boot_id_file = boot_id
            reboot_cmd = bin/fake-reboot --now
            lock_retry_interval = 0.2
            script_timeout = 30
            kill_grace = 1
            """;
        Dir.File("update.ini", $"[main]\n{Override(main, _extraMain)}\n\n{backend.Section}\n");
    }

    /// <summary>The default settings with those of <paramref name="extra"/> replacing keys they name (a key may be given once).</summary>
    private static string Override(string defaults, string extra)
    {
        static string Key(string line) => line.Split('=', 2)[0].Trim().ToLowerInvariant();
        var extraLines = extra.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var replaced = extraLines.Where(l => l.Contains('=', StringComparison.Ordinal)).Select(Key).ToHashSet();
        var kept = defaults.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !replaced.Contains(Key(l)));
        return string.Join('\n', kept.Concat(extraLines));
    }

    private string ScriptBody => $$"""
        root='{{Dir.Path}}'
        if {{Backend.HeldProbe}}; then held=locked; else held=free; fi
        echo "$LOCKSTEP_STEP $held $LOCKSTEP_LOCK_NAME" >> "$root/ran.log"
        {{StepBehaviour}}
        """;

    /// <summary>The end of every step script (after $root is set and ran.log written): HOLD_IN, FAIL_IN, NO_UPDATES and REBOOT.</summary>
    internal const string StepBehaviour = """
        if [ "${HOLD_IN:-}" = "$LOCKSTEP_STEP" ]; then echo $$ > "$root/held.tmp"; mv "$root/held.tmp" "$root/held.pid"; exec sleep 60; fi
        if [ "${FAIL_IN:-}" = "$LOCKSTEP_STEP" ]; then exit 3; fi
        case "$LOCKSTEP_STEP" in
          needs_update) [ "${NO_UPDATES:-}" = 1 ] && exit 0; exit 1 ;;
          needs_reboot) [ "${REBOOT:-}" = 1 ] && exit 1; exit 0 ;;
        esac
        exit 0
        """;

    /// <summary>Runs <c>lockstep update --config CONFIG ARGS</c> with extra environment.</summary>
    public CliResult Update(Dictionary<string, string?>? environment = null, params string[] args) =>
        LockstepCli.RunWith(new CliOptions { Environment = environment ?? [] }, ["update", "--config", Config, .. args]);

    public Process Start(Dictionary<string, string?>? environment = null, params string[] args) =>
        LockstepCli.Start(new CliOptions { Environment = environment ?? [] }, ["update", "--config", Config, .. args]);

    /// <summary>What a reboot changes for Lockstep: the kernel's boot id.</summary>
    public void Reboot(string bootId = "boot-2") => File.WriteAllText(Dir["boot_id"], bootId + "\n");

    /// <summary>Writes the local lock file as another tool would: whole, by rename.</summary>
    public void WriteLockFile(string? holder, string lockName = LockName)
    {
        Directory.CreateDirectory(Dir["var"]);
        string json = holder is null ? """{"locks":{}}""" : "{\"locks\":{\"" + lockName + "\":{\"holder\":\"" + holder + "\"}}}";
        File.WriteAllText(LockFile + ".new", json);
        File.Move(LockFile + ".new", LockFile, overwrite: true);
    }

    /// <summary>Kills the script left sleeping by HOLD_IN (its pid in held.pid) after lockstep was killed, as systemd would kill the whole unit.</summary>
    public static void KillHeldScript(TempDir dir)
    {
        ArgumentNullException.ThrowIfNull(dir);
        if (File.Exists(dir["held.pid"]) && int.TryParse(File.ReadAllText(dir["held.pid"]).Trim(), out int pid))
        {
            try
            {
                using var script = Process.GetProcessById(pid);
                script.Kill(entireProcessTree: true);
                script.WaitForExit();
            }
            catch (ArgumentException)
            {
                // Already gone.
            }

            File.Delete(dir["held.pid"]);
        }
    }

    public void Dispose() => Dir.Dispose();
}
