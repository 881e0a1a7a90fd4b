namespace Lockstep.Logging;

/// <summary>
/// Passes lines on at no more than <paramref name="max"/>: for script runs whose non-zero exit is an
/// answer ("updates available", "reboot needed"), which the run-parts engine would report as an error.
/// </summary>
internal sealed class LevelCapLog(ILog inner, LogLevel max) : ILog
{
    public bool IsEnabled(LogLevel level) => inner.IsEnabled(Cap(level));

    public void Write(LogLevel level, string message) => inner.Write(Cap(level), message);

    private LogLevel Cap(LogLevel level) => level > max ? max : level;
}
