using System.Text;
using Lockstep.Processes;
using Microsoft.Win32.SafeHandles;

namespace Lockstep.Tests.Rollout;

/// <summary>The simulator's own lines in the shared timeline, under the same flock the scripts take.</summary>
public sealed class TimelineWriter(string path)
{
    private const int LockExclusive = 2;
    private const int Append = 0x400;
    private const int WriteOnly = 1;

    public string Path { get; } = path;

    public void Add(string host, int update, string what, string @event)
    {
        // Opened through libc: a FileStream would take a shared flock of its own, which the
        // exclusive one another thread holds refuses.
        int fd = LibC.open(Path, WriteOnly | Append | LibC.O_CREAT | LibC.O_CLOEXEC, 0b110_000_000);
        if (fd < 0)
        {
            throw new IOException($"cannot open the timeline {Path} (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()})");
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        while (LibC.flock(fd, LockExclusive) != 0)
        {
        }

        // The time is taken under the lock, as the scripts take theirs, so the file's order is the time order.
        double now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        using var stream = new FileStream(handle, FileAccess.Write, bufferSize: 0);
        stream.Write(Encoding.UTF8.GetBytes(TimelineEvent.Format(now, host, update, what, @event, Environment.ProcessId) + "\n"));
    }

    public List<TimelineEvent> Read() => File.Exists(Path) ? TimelineEvent.Parse(File.ReadAllLines(Path)) : [];
}
