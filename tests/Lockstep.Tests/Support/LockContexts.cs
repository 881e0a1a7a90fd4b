using Lockstep.Config;
using Lockstep.Locks;
using Lockstep.Logging;

namespace Lockstep.Tests.Support;

/// <summary>Backend contexts built from config text, as <c>lockstep</c> builds them from config.ini.</summary>
public static class LockContexts
{
    public const string ConfigPath = "/etc/lockstep/config.ini";

    public static LockBackendContext From(string ini, string holderId = "host-a", double timeoutSeconds = 2, RecordingLog? log = null) =>
        new(IniFile.Parse(ConfigPath, ini), holderId, TimeSpan.FromSeconds(timeoutSeconds), log ?? new RecordingLog(), TimeProvider.System);

    public static string UniqueLockName(string prefix = "group") => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";
}
