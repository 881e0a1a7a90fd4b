namespace Lockstep.Logging;

/// <summary>os-refresh-config's levels, lowest first.</summary>
public enum LogLevel
{
    Debug,
    Info,
    Warn,
    Error,
    Critical,
}

public static class LogLevels
{
    public const string Names = "DEBUG, INFO, WARN, ERROR, CRITICAL";

    public static bool TryParse(string? text, out LogLevel level)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "DEBUG": level = LogLevel.Debug; return true;
            case "INFO": level = LogLevel.Info; return true;
            case "WARN" or "WARNING": level = LogLevel.Warn; return true;
            case "ERROR": level = LogLevel.Error; return true;
            case "CRITICAL": level = LogLevel.Critical; return true;
            default: level = LogLevel.Info; return false;
        }
    }

    public static string Name(LogLevel level) => level switch
    {
        LogLevel.Debug => "DEBUG",
        LogLevel.Info => "INFO",
        LogLevel.Warn => "WARN",
        LogLevel.Error => "ERROR",
        _ => "CRITICAL",
    };
}
