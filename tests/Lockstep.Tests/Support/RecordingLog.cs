using Lockstep.Logging;

namespace Lockstep.Tests.Support;

/// <summary>Keeps every line logged, with its level, for assertions.</summary>
public sealed class RecordingLog(LogLevel minimum = LogLevel.Debug) : ILog
{
    private readonly Lock _gate = new();

    public List<(LogLevel Level, string Message)> Lines { get; } = [];

    public string Text
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', Lines.Select(l => $"{l.Level}: {l.Message}"));
            }
        }
    }

    public bool IsEnabled(LogLevel level) => level >= minimum;

    public void Write(LogLevel level, string message)
    {
        if (IsEnabled(level))
        {
            lock (_gate)
            {
                Lines.Add((level, message));
            }
        }
    }
}
