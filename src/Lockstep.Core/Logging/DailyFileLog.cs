using System.Globalization;
using Lockstep.Files;

namespace Lockstep.Logging;

/// <summary>
/// A log file rotated at the first line of each new day, as foreman_dlm_updater's did: yesterday's
/// file becomes <c>FILE.YYYY-MM-DD</c> and only the newest <c>retention</c> of those are kept.
/// Files are 0600 in a directory created 0700. Dates are the clock's local dates.
/// </summary>
public sealed class DailyFileLog : ILog, IDisposable
{
    private readonly string _path;
    private readonly int _retention;
    private readonly string _program;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private FileStream? _stream;
    private StreamLog? _log;
    private DateOnly _day;

    public DailyFileLog(string path, int retention, LogLevel minimum, TimeProvider clock, string program)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _path = Files.PathWalk.FullPath(path);
        _retention = retention;
        Minimum = minimum;
        _clock = clock;
        _program = program;
        RuntimeDirectory.EnsureFor(_path);
        _day = Today();
        // stat through libc: the log's path may hold bytes that are not UTF-8 (README, "Paths are bytes").
        if (Processes.FileStat.TryStat(_path, out var stat) == 0 && stat.IsRegularFile && stat.Size > 0)
        {
            var modified = DateTimeOffset.FromUnixTimeSeconds(stat.MtimeSeconds).AddTicks(stat.MtimeNanoseconds / 100);
            var written = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(modified, clock.LocalTimeZone).DateTime);
            if (written < _day)
            {
                Rotate(written);
            }
        }

        Open();
    }

    public LogLevel Minimum { get; }

    public bool IsEnabled(LogLevel level) => level >= Minimum;

    public void Write(LogLevel level, string message)
    {
        if (!IsEnabled(level))
        {
            return;
        }

        lock (_gate)
        {
            var today = Today();
            if (today != _day)
            {
                Close();
                Rotate(_day);
                _day = today;
                Open();
            }

            _log!.Write(level, message);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            Close();
        }
    }

    private DateOnly Today() => DateOnly.FromDateTime(_clock.GetLocalNow().DateTime);

    private void Open()
    {
        // Never through a symlink someone else planted, never a FIFO or device (RuntimeFile).
        _stream = new FileStream(RuntimeFile.Open(_path, "log file", Processes.LibC.O_WRONLY | Processes.LibC.O_APPEND, createDirectories: true, allowCharacterDevice: true), FileAccess.Write);
        _log = new StreamLog(_stream, _program, Minimum, _clock);
    }

    private void Close()
    {
        try
        {
            _stream?.Dispose();
        }
        catch (IOException)
        {
            // A full or broken log disk loses the unwritten lines, never the run (StreamLog writes ignore it too).
        }

        _stream = null;
        _log = null;
    }

    /// <summary>Moves the current file aside under its day's name and drops rotated files beyond the retention.</summary>
    private void Rotate(DateOnly day)
    {
        try
        {
            // Renamed and removed through the directory the walk opened: a directory swapped in since cannot redirect them.
            using var walked = PathWalk.Walk(_path, PathRule.Runtime, "log file");
            walked.Rename(walked.Name, $"{walked.Name}.{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
            string prefix = walked.Name + ".";
            var rotated = walked.NamesInDirectory(prefix)
                .Where(name => DateOnly.TryParseExact(name[prefix.Length..], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                .OrderDescending(StringComparer.Ordinal)
                .Skip(_retention);
            foreach (string old in rotated)
            {
                _ = walked.Unlink(old);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Rotation is housekeeping: a failure must not stop an update; lines go on into the current file.
        }
    }
}
