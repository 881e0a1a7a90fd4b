using System.Collections.Concurrent;
using Lockstep.Logging;

namespace Lockstep.Tests.Support;

/// <summary>An <see cref="ILog"/> that keeps every line, to assert on what Lockstep told the operator.</summary>
public sealed class RecordingLog : ILog
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> _lines = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Lines => [.. _lines];

    public bool IsEnabled(LogLevel level) => true;

    public void Write(LogLevel level, string message) => _lines.Enqueue((level, message));

    public IEnumerable<string> At(LogLevel level) => _lines.Where(l => l.Level == level).Select(l => l.Message);
}
