using System.Text;

namespace Lockstep.Logging;

/// <summary>
/// One line per message with a timestamp, written and flushed at once so it interleaves correctly
/// with the output of the scripts sharing the same stream. Whatever a message quotes (a file name, a
/// configuration value, a server's answer) cannot break the line or flood it: <see cref="Printable"/>.
/// For the journal (<paramref name="journal"/>), a <c>&lt;N&gt;</c> priority prefix instead of the timestamp.
/// </summary>
public sealed class StreamLog(Stream stream, string program, LogLevel minimum, TimeProvider clock, bool journal = false) : ILog
{
    private readonly Lock _gate = new();
    private readonly byte[] _buffer = new byte[4096];

    public LogLevel Minimum { get; } = minimum;

    public bool IsEnabled(LogLevel level) => level >= Minimum;

    /// <summary>The line as written. A message of several lines keeps its prefix on the first only, as today.</summary>
    public string Format(LogLevel level, string message) => journal
        ? $"<{JournalStream.Priority(level)}>{program} {LogLevels.Name(level)}: {message}\n"
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{clock.GetLocalNow():yyyy-MM-dd HH:mm:ss.fff} {program} {LogLevels.Name(level)}: {message}\n");

    public void Write(LogLevel level, string message)
    {
        if (!IsEnabled(level))
        {
            return;
        }

        string line = Format(level, Printable.Escape(message));
        lock (_gate)
        {
            int count = Encoding.UTF8.GetMaxByteCount(line.Length) <= _buffer.Length
                ? Encoding.UTF8.GetBytes(line, _buffer)
                : -1;
            try
            {
                if (count >= 0)
                {
                    stream.Write(_buffer, 0, count);
                }
                else
                {
                    stream.Write(Encoding.UTF8.GetBytes(line));
                }

                stream.Flush();
            }
            catch (IOException)
            {
                // A closed stderr must not turn a good run into a failed one.
            }
        }
    }
}

/// <summary>Sends every line to several logs (stderr and a log file).</summary>
internal sealed class TeeLog(params ILog[] logs) : ILog
{
    public bool IsEnabled(LogLevel level) => logs.Any(l => l.IsEnabled(level));

    public void Write(LogLevel level, string message)
    {
        foreach (var log in logs)
        {
            log.Write(level, message);
        }
    }
}
