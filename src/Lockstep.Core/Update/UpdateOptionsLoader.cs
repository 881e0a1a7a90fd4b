using Lockstep.Config;
using Lockstep.Locks;
using Lockstep.Locks.Foreman;
using Lockstep.Locks.Operator;
using Lockstep.Logging;
using Lockstep.Windows;

namespace Lockstep.Update;

/// <summary>Validates <c>[main]</c> once at start-up into <see cref="UpdateOptions"/>; every error names file, line, section and key.</summary>
public static class UpdateOptionsLoader
{
    public const string Section = "main";

    /// <summary>Every key of [main] that Lockstep knows: the update's own, and those the Foreman backend reads there (<see cref="ForemanOptions.MainKeys"/>).</summary>
    public static readonly IReadOnlySet<string> KnownKeys = new HashSet<string>(
        [
            "log", "logretention", "loglevel", "lock", "state", "lock_name",
            "needs_update.d", "pre_update.d", "update.d", "needs_reboot.d", "post_update.d", "reboot_cmd",
            "backend", "holder_id", "script_timeout", "http_timeout", "lock_retry_interval", "lock_wait_timeout", "boot_id_file", "boot_time_file", "kill_grace",
            "maintenance_window", "window_min_remaining", "metrics_file", "notify.d", "notify_timeout",
            .. ForemanOptions.MainKeys,
        ],
        StringComparer.Ordinal);

    public static UpdateOptions Load(IniFile ini)
    {
        ArgumentNullException.ThrowIfNull(ini);
        if (!ini.HasSection(Section))
        {
            throw new ConfigException($"{ini.Path}: no [main] section; lockstep update reads its settings from [main] (see README, lockstep update)");
        }

        var settings = new Settings(ini);
        var defaults = new UpdateOptions { ConfigPath = ini.Path, LockName = "", HolderId = "", ScriptDirectories = new Dictionary<UpdateStep, string>() };
        return defaults with
        {
            LogPath = settings.Path("log") ?? defaults.LogPath,
            LogRetentionDays = ini.Get(Section, "logretention")?.AsInt(min: 0) ?? defaults.LogRetentionDays,
            LogLevel = settings.Level("loglevel") ?? defaults.LogLevel,
            RunLockPath = settings.Path("lock") ?? defaults.RunLockPath,
            StatePath = settings.Path("state") ?? defaults.StatePath,
            LockName = LockConfig.LockName(ini),
            HolderId = HolderId.Resolve(ini),
            ScriptDirectories = UpdateSteps.WithScripts.ToDictionary(step => step, step => settings.Path(step.ScriptsKey()!) ?? settings.Beside(step.ScriptsKey()!)),
            RebootCommand = settings.Command("reboot_cmd") ?? defaults.RebootCommand,
            ScriptTimeout = settings.Seconds("script_timeout", zeroMeansNone: true, defaults.ScriptTimeout),
            KillGrace = settings.Seconds("kill_grace", zeroMeansNone: false, defaults.KillGrace) ?? TimeSpan.Zero,
            HttpTimeout = LockConfig.HttpTimeout(ini),
            LockRetryInterval = settings.Positive("lock_retry_interval") ?? defaults.LockRetryInterval,
            LockWaitTimeout = settings.Seconds("lock_wait_timeout", zeroMeansNone: true, defaults.LockWaitTimeout),
            BootIdFile = settings.Path("boot_id_file") ?? defaults.BootIdFile,
            BootTimeFile = settings.Path("boot_time_file") ?? defaults.BootTimeFile,
            Windows = Windows(ini),
            WindowMinRemaining = settings.Seconds("window_min_remaining", zeroMeansNone: false, defaults.WindowMinRemaining) ?? TimeSpan.Zero,
            MetricsFile = settings.Path("metrics_file"),
            NotifyDirectory = settings.Path("notify.d") ?? settings.Beside("notify.d"),
            NotifyDirectoryRequired = ini.Get(Section, "notify.d") is not null,
            NotifyTimeout = settings.Positive("notify_timeout") ?? defaults.NotifyTimeout,
            Warnings = [.. ini.Values(Section).Where(v => !KnownKeys.Contains(v.Key)).Select(v => $"{v.Where}: unknown setting, ignored (a typo?)")],
        };
    }

    /// <summary>Every <c>maintenance_window</c> line (and continuation line) as one window each; zones default to the host's.</summary>
    private static MaintenanceSchedule Windows(IniFile ini)
    {
        var windows = new List<MaintenanceWindow>();
        foreach (var value in ini.GetAll(Section, "maintenance_window"))
        {
            foreach (string text in value.Text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).DefaultIfEmpty(""))
            {
                windows.Add(WindowParser.TryParse(text, TimeZoneInfo.Local, out string error)
                    ?? throw new ConfigException($"{value.Where} = '{text}' is not a maintenance window: {error}; write {WindowParser.Shape}"));
            }
        }

        return new MaintenanceSchedule(windows);
    }

    private sealed class Settings(IniFile ini)
    {
        private readonly string _directory = System.IO.Path.GetDirectoryName(Files.PathWalk.FullPath(ini.Path))!;

        public string? Text(string key)
        {
            var value = ini.Get(Section, key);
            if (value is not null && value.Text.Length == 0)
            {
                throw new ConfigException($"{value.Where} is empty; give a value or remove the line to use the default");
            }

            return value?.Text;
        }

        public string? Path(string key) =>
            Text(key) is { } text ? System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(text, _directory)) : null;

        public string Beside(string name) => System.IO.Path.Combine(_directory, name);

        public LogLevel? Level(string key)
        {
            var value = ini.Get(Section, key);
            if (value is null)
            {
                return null;
            }

            return LogLevels.TryParse(value.Text, out var level)
                ? level
                : throw new ConfigException($"{value.Where} = '{value.Text}' is not a log level; use DEBUG, INFO, WARNING, ERROR or CRITICAL");
        }

        public IReadOnlyList<string>? Command(string key)
        {
            var value = ini.Get(Section, key);
            if (value is null)
            {
                return null;
            }

            IReadOnlyList<string> words;
            try
            {
                words = CommandWords.Split(value.Text);
            }
            catch (FormatException e)
            {
                throw new ConfigException($"{value.Where} = '{value.Text}' cannot be split into arguments ({e.Message}); fix the quoting (no shell runs it)");
            }

            return words.Count > 0 && words[0].Length > 0 ? words : throw new ConfigException($"{value.Where} is empty; give the command that reboots this host");
        }

        public TimeSpan? Seconds(string key, bool zeroMeansNone, TimeSpan? fallback)
        {
            var value = ini.Get(Section, key);
            if (value is null)
            {
                return fallback;
            }

            double seconds = value.AsSeconds();
            return seconds == 0 && zeroMeansNone ? null : TimeSpan.FromSeconds(seconds);
        }

        public TimeSpan? Positive(string key)
        {
            var value = ini.Get(Section, key);
            if (value is null)
            {
                return null;
            }

            double seconds = value.AsSeconds();
            return seconds > 0 ? TimeSpan.FromSeconds(seconds) : throw new ConfigException($"{value.Where} = '{value.Text}' must be more than 0 seconds; fix the value");
        }
    }
}
