using System.Globalization;
using Lockstep.Processes;

namespace Lockstep.Logging;

/// <summary>
/// Whether stderr is connected to systemd's journal: systemd sets <c>JOURNAL_STREAM=DEV:INO</c> to
/// the device and inode of the stream it gave the service. Only when stderr is still that stream
/// (not redirected by a wrapper) do Lockstep's lines carry syslog priority prefixes (README, "The journal").
/// </summary>
public static class JournalStream
{
    public const string EnvironmentVariable = "JOURNAL_STREAM";

    private const int StderrFd = 2;

    public static bool IsStderr(string? journalStream) =>
        journalStream is not null && TryIdentity(StderrFd, out ulong device, out ulong inode) && Matches(journalStream, device, inode);

    /// <summary>Whether <paramref name="journalStream"/> names exactly this device and inode (pure).</summary>
    public static bool Matches(string journalStream, ulong device, ulong inode)
    {
        ArgumentNullException.ThrowIfNull(journalStream);
        var parts = journalStream.Split(':');
        return parts.Length == 2
            && ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out ulong d) && d == device
            && ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong i) && i == inode;
    }

    /// <summary>The syslog priority journald reads from a <c>&lt;N&gt;</c> prefix.</summary>
    public static int Priority(LogLevel level) => level switch
    {
        LogLevel.Debug => 7,
        LogLevel.Info => 6,
        LogLevel.Warn => 4,
        LogLevel.Error => 3,
        _ => 2,
    };

    private static unsafe bool TryIdentity(int fd, out ulong device, out ulong inode)
    {
        const int EmptyPath = 0x1000;
        byte* buffer = stackalloc byte[256];
        if (LibC.fstatat(fd, "", buffer, EmptyPath) != 0)
        {
            device = inode = 0;
            return false;
        }

        // st_dev and st_ino open struct stat on every Linux architecture Lockstep is built for.
        device = *(ulong*)buffer;
        inode = *(ulong*)(buffer + 8);
        return true;
    }
}
