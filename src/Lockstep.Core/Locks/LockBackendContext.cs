using Lockstep.Config;
using Lockstep.Logging;

namespace Lockstep.Locks;

/// <summary>What every backend is built from: the whole config file (each reads its own section), the holder id, timeouts, log and clock.</summary>
public sealed record LockBackendContext(IniFile Config, string HolderId, TimeSpan HttpTimeout, ILog Log, TimeProvider Clock);
