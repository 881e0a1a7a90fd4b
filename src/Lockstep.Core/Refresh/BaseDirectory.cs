namespace Lockstep.Refresh;

/// <summary>Where the phase directories live, found as os-refresh-config finds them.</summary>
public static class BaseDirectory
{
    public const string EnvironmentVariable = "OS_REFRESH_CONFIG_BASE_DIR";
    public const string Default = "/usr/libexec/os-refresh-config";
    public const string Legacy = "/opt/stack/os-config-refresh";

    /// <summary>
    /// --base-dir first; then the environment variable, even when empty (phases are then relative to
    /// the working directory, as os-refresh-config's os.path.join gives); then the default, unless
    /// only the legacy directory exists. <paramref name="Deprecated"/> asks for a warning.
    /// </summary>
    public static (string Path, bool Deprecated) Resolve(string? option, string? environment, Func<string, bool> isDirectory)
    {
        ArgumentNullException.ThrowIfNull(isDirectory);
        if (option is not null)
        {
            return (option, false);
        }

        if (environment is not null)
        {
            return (environment, false);
        }

        return isDirectory(Legacy) && !isDirectory(Default) ? (Legacy, true) : (Default, false);
    }

    public static string DeprecationWarning =>
        $"base directory {Legacy} is deprecated; move its phase directories to {Default} (or set ${EnvironmentVariable})";
}
