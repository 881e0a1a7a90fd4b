using Lockstep.Files;
using Lockstep.Logging;

namespace Lockstep.Metrics;

/// <summary>
/// The <c>metrics_file</c> for node_exporter's textfile collector (README, "Metrics"): replaced
/// whole (temp file, fsync, rename), mode 0644 so the exporter's user can read it. A file that
/// cannot be written earns one warning per run and never stops the run.
/// </summary>
public sealed class MetricsFile(string path, string setting, ILog log)
{
    private const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Metrics files stay small; a bigger one is not ours to carry values from.</summary>
    private const int MaxBytes = 1024 * 1024;

    private bool _warned;

    public string Path { get; } = path;

    /// <summary>The file's current text (for values carried across runs), or null when it is missing, unreadable or too big.</summary>
    public string? ReadPrevious()
    {
        try
        {
            // As every runtime file read back: a symlink another user planted is refused, a FIFO or device does not hang the run.
            return RuntimeFile.Read(Path, "metrics file", MaxBytes) is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Write(string text)
    {
        try
        {
            AtomicFile.WriteText(Path, text, Mode);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (!_warned)
            {
                log.Warn($"metrics file {Path} ({setting}) cannot be written ({FileFailure.Reason(e, Path)}); the run goes on without metrics. Fix the directory or its permissions");
                _warned = true;
            }
        }
    }
}
