using System.Collections.Concurrent;
using Lockstep.Config;
using Lockstep.Locks;
using Lockstep.Logging;

namespace Lockstep.Tests.Support;

/// <summary>Everything Lockstep logged, for tests that check what is (and is not) said.</summary>
public sealed class RecordingLog : ILog
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public bool IsEnabled(LogLevel level) => true;

    public void Write(LogLevel level, string message) => Lines.Enqueue($"{LogLevels.Name(level)}: {message}");
}

/// <summary>Backend contexts built from config text, as <c>lockstep</c> builds them from config.ini.</summary>
public static class LockContexts
{
    public const string ConfigPath = "/etc/lockstep/config.ini";

    public static LockBackendContext From(string ini, string holderId = "host-a", double timeoutSeconds = 2, RecordingLog? log = null) =>
        new(IniFile.Parse(ConfigPath, ini), holderId, TimeSpan.FromSeconds(timeoutSeconds), log ?? new RecordingLog(), TimeProvider.System);

    public static string UniqueLockName(string prefix = "group") => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";
}
