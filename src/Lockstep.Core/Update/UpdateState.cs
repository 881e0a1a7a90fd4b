namespace Lockstep.Update;

/// <summary>
/// What the state file says: the step to run next, and for a step under the lock, which lock and
/// holder. A state read from foreman_dlm_updater's one-word file has no lock name or holder.
/// </summary>
/// <param name="Step">The next step to run (it has not completed).</param>
/// <param name="Since">When the state was recorded.</param>
/// <param name="LockName">The lock taken, as configured when it was taken.</param>
/// <param name="HolderId">The holder id it was taken under.</param>
/// <param name="Reboot">Set while post_update waits for the reboot that reboot_cmd was asked for.</param>
public sealed record UpdateState(UpdateStep Step, DateTimeOffset? Since = null, string? LockName = null, string? HolderId = null, PendingReboot? Reboot = null)
{
    /// <summary>No update in progress: the state file is absent.</summary>
    public static readonly UpdateState Idle = new(UpdateStep.NeedsUpdate);

    /// <summary>Read from foreman_dlm_updater's one-word state file, which names the step and nothing else.</summary>
    public bool FromOneWordFile { get; init; }

    /// <summary>"post_update (waiting for the reboot asked at ...)" for messages.</summary>
    public string Describe() => Reboot is { } reboot
        ? $"{Step.Name()} (waiting for the reboot requested at {reboot.RequestedAt:yyyy-MM-dd HH:mm:ss zzz}, boot id then {reboot.BootId})"
        : Step.Name();
}

/// <summary>A reboot asked for while the host ran with boot id <paramref name="BootId"/>; it happened once the boot id differs.</summary>
public sealed record PendingReboot(string BootId, DateTimeOffset RequestedAt)
{
    /// <summary>Whether the host has booted since: the kernel gives every boot a new random id.</summary>
    public bool HappenedBy(string currentBootId) => !string.Equals(BootId, currentBootId, StringComparison.Ordinal);
}
