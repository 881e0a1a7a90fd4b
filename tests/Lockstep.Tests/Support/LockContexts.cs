using Lockstep.Config;
using Lockstep.Locks;
using Lockstep.Logging;

namespace Lockstep.Tests.Support;

/// <summary>A config file's text parsed, with the context a backend is built with beside it.</summary>
public sealed record LockSetup(IniFile Config, LockBackendContext Context);

/// <summary>Backend contexts built from config text, as <c>lockstep</c> builds them from config.ini.</summary>
public static class LockContexts
{
    public const string ConfigPath = "/etc/lockstep/config.ini";

    public static LockSetup From(string ini, string holderId = "host-a", double timeoutSeconds = 2, RecordingLog? log = null) =>
        new(IniFile.Parse(ConfigPath, ini), new LockBackendContext(holderId, TimeSpan.FromSeconds(timeoutSeconds), log ?? new RecordingLog(), TimeProvider.System));

    /// <summary>The backend the config text names, built as <c>lockstep</c> builds it.</summary>
    public static ILockBackend Backend(string ini, string holderId = "host-a", double timeoutSeconds = 2, RecordingLog? log = null)
    {
        var setup = From(ini, holderId, timeoutSeconds, log);
        return LockBackendFactory.Create(setup.Config, setup.Context);
    }

    public static string UniqueLockName(string prefix = "group") => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";
}
