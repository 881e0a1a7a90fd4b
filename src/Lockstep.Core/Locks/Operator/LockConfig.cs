using Lockstep.Config;

namespace Lockstep.Locks.Operator;

/// <summary>The <c>[main]</c> settings every lock backend needs besides its own keys.</summary>
internal static class LockConfig
{
    /// <summary><c>http_timeout</c>: the bound on each call to a lock server, 30 s unless set.</summary>
    public static readonly TimeSpan DefaultHttpTimeout = TimeSpan.FromSeconds(30);

    /// <summary><c>lock_name</c>: the fleet-wide lock this host takes (required).</summary>
    public static string LockName(IniFile config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var value = config.Get("main", "lock_name");
        if (value is null || string.IsNullOrWhiteSpace(value.Text))
        {
            throw new ConfigException($"{value?.Where ?? $"{config.Path}: [main] lock_name"} is {(value is null ? "missing" : "empty")}; set it to the name of the fleet-wide lock, e.g. lock_name = web-updates");
        }

        return value.Text;
    }

    public static TimeSpan HttpTimeout(IniFile config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Get("main", "http_timeout") is not { } value)
        {
            return DefaultHttpTimeout;
        }

        double seconds = value.AsSeconds();
        if (seconds <= 0)
        {
            throw new ConfigException($"{value.Where} = '{value.Text}': a hung server must not block the fleet; give a number of seconds above 0 (default 30)");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>The backend's name as configured (<c>[main] backend</c>, default foreman), for reports.</summary>
    public static string BackendName(IniFile config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Get("main", "backend")?.Text.ToLowerInvariant() ?? LockBackendFactory.DefaultBackend;
    }
}
