namespace Lockstep.Logging;

/// <summary>Where Lockstep's own lines go (never script output, which is the script's own).</summary>
public interface ILog
{
    bool IsEnabled(LogLevel level);

    void Write(LogLevel level, string message);
}

public static class LogExtensions
{
    public static void Debug(this ILog log, string message) => log.Write(LogLevel.Debug, message);

    public static void Info(this ILog log, string message) => log.Write(LogLevel.Info, message);

    public static void Warn(this ILog log, string message) => log.Write(LogLevel.Warn, message);

    public static void Error(this ILog log, string message) => log.Write(LogLevel.Error, message);
}
