using Lockstep.Logging;

namespace Lockstep.Locks;

/// <summary>
/// What every backend is built from besides its own options: the holder id, the bound on each
/// call to a server (<c>[main] http_timeout</c>), the log and the clock. Never the config file:
/// each backend's options type reads its section once (<see cref="LockBackendFactory"/>).
/// </summary>
public sealed record LockBackendContext(string HolderId, TimeSpan HttpTimeout, ILog Log, TimeProvider Clock);
