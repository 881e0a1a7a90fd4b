using System.Globalization;
using System.Text.Json;

namespace Lockstep.Tests.Rollout;

/// <summary>
/// One host of the simulated fleet, in its own directory: update.ini, the five script directories
/// with one script each, reboot_cmd, boot id, state, run lock and log. The files <c>target</c>
/// (the update asked for), <c>installed</c> (what update.d installed) and <c>done</c> (the update
/// whose post_update completed) are the host's software; <c>fail.STEP</c> makes that step's script
/// fail until the operator removes it; <c>reboot.K</c> makes needs_reboot ask for a reboot in
/// update K. reboot_cmd "reboots" by giving the host a new boot id. Every script appends its
/// start and its end (or failure) to the shared timeline under flock, with bash's clock.
/// </summary>
public sealed class SimulatedHost
{
    private static readonly string[] Steps = ["needs_update", "pre_update", "update", "needs_reboot", "post_update"];

    public SimulatedHost(string root, string name, string timeline, (string Main, string Section) backend, string lockName, Random random, TimeSpan scriptWork)
    {
        ArgumentNullException.ThrowIfNull(random);
        Name = name;
        Dir = Path.Combine(root, name);
        Create(Dir);
        File.WriteAllText(P("target"), "0\n");
        File.WriteAllText(P("installed"), "0\n");
        File.WriteAllText(P("done"), "0\n");
        File.WriteAllText(P("boot_id"), $"boot-{name}-0\n");
        foreach (string step in Steps)
        {
            double work = step is "needs_update" or "needs_reboot" ? 0 : scriptWork.TotalSeconds * random.NextDouble();
            Script($"{step}.d/10-{step.Replace('_', '-')}", StepScript(step, timeline, work));
        }

        Script("bin/reboot", RebootScript(timeline));
        string config = $"""
            [main]
            {backend.Main}
            holder_id = {name}
            lock_name = {lockName}
            state = var/update.state
            lock = var/run/update.lock
            log = var/log/update.log
            boot_id_file = boot_id
            reboot_cmd = bin/reboot
            lock_retry_interval = 1
            lock_wait_timeout = 30
            script_timeout = 60
            kill_grace = 1
            http_timeout = 3

            {backend.Section}

            """;
        File.WriteAllText(Config, config, new System.Text.UTF8Encoding(false));
        File.SetUnixFileMode(Config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public string Name { get; }

    public string Dir { get; }

    public string Config => P("update.ini");

    public string StatePath => P("var/update.state");

    public string LogPath => P("var/log/update.log");

    /// <summary>The step that failed on purpose and waits for the operator, if any.</summary>
    public string? FailingStep => Steps.FirstOrDefault(s => File.Exists(P($"fail.{s}")));

    /// <summary>Asks for update <paramref name="update"/>: whether it needs a reboot, and which step's script fails until fixed.</summary>
    public void Ask(int update, bool reboot, string? failStep)
    {
        if (reboot)
        {
            File.WriteAllText(P($"reboot.{update}"), "");
        }

        if (failStep is not null)
        {
            File.WriteAllText(P($"fail.{failStep}"), "");
        }

        Replace("target", update);
    }

    /// <summary>The operator's repair: the failing step will succeed from now on.</summary>
    public void Fix(string step) => File.Delete(P($"fail.{step}"));

    public int Done => int.Parse(File.ReadAllText(P("done")).Trim(), CultureInfo.InvariantCulture);

    /// <summary>Update <paramref name="update"/> is finished: post_update recorded it and lockstep cleared its state.</summary>
    public bool Finished(int update) => Done == update && !File.Exists(StatePath);

    /// <summary>The step the state file names; null without one, "?" when it cannot be read.</summary>
    public string? StateStep
    {
        get
        {
            try
            {
                using var json = JsonDocument.Parse(File.ReadAllBytes(StatePath));
                return json.RootElement.GetProperty("step").GetString();
            }
            catch (FileNotFoundException)
            {
                return null;
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IOException)
            {
                return "?";
            }
        }
    }

    public HostOutcome Outcome(int updatesAsked)
    {
        string? problem = null;
        bool left = File.Exists(StatePath);
        if (left && StateStep == "?")
        {
            string text = File.ReadAllText(StatePath);
            problem = $"{StatePath} holds '{(text.Length > 60 ? text[..60] + "..." : text).ReplaceLineEndings(" ")}'";
        }

        return new HostOutcome(Name, updatesAsked, Done, left, problem);
    }

    private string P(string relative) => Path.Combine(Dir, relative);

    private void Replace(string file, int value)
    {
        File.WriteAllText(P(file + ".new"), value.ToString(CultureInfo.InvariantCulture) + "\n");
        File.Move(P(file + ".new"), P(file), overwrite: true);
    }

    private void Script(string relative, string body)
    {
        string path = P(relative);
        Create(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "#!/bin/bash\n" + body);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static void Create(string dir) => Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

    private string Preamble(string timeline, string what) => $$"""
        set -u
        root='{{Dir}}' host='{{Name}}' what='{{what}}' timeline='{{timeline}}'
        k=$(<"$root/target")
        tl() { { flock 9; printf '%s %s %s %s %s %s\n' "${EPOCHREALTIME/,/.}" "$host" "$k" "$what" "$1" "$$" >&9; } 9>>"$timeline"; }

        """;

    private string StepScript(string step, string timeline, double work) => Preamble(timeline, step) + $$"""
        tl start
        if [ -e "$root/fail.$what" ]; then tl fail; exit 3; fi
        {{(work > 0 ? string.Create(CultureInfo.InvariantCulture, $"sleep {work:F3}") : ":")}}
        status=0
        case "$what" in
          needs_update) [ "$(<"$root/installed")" = "$k" ] || status=1 ;;
          update) echo "$k" > "$root/installed.new" && mv -f "$root/installed.new" "$root/installed" ;;
          needs_reboot) [ -e "$root/reboot.$k" ] && status=1 ;;
          post_update) echo "$k" > "$root/done.new" && mv -f "$root/done.new" "$root/done" ;;
        esac
        tl end
        exit $status

        """;

    private string RebootScript(string timeline) => Preamble(timeline, TimelineEvent.Reboot) + """
        tl start
        echo "boot-$host-${EPOCHREALTIME/,/.}-$$" > "$root/boot_id.new" && mv -f "$root/boot_id.new" "$root/boot_id"
        tl end

        """;
}
