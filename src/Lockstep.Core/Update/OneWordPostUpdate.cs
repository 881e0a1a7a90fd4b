using Lockstep.Logging;
using Lockstep.Processes;

namespace Lockstep.Update;

/// <summary>
/// foreman_dlm_updater's one-word <c>post_update</c> state: it wrote the word before it ran
/// reboot_cmd, so the word alone does not say whether the reboot happened. A file written since the
/// current boot started means the host has not rebooted since: the reboot is still pending,
/// recorded against the current boot id, so the reboot step runs again (an extra reboot is the
/// safe side; taking it as done would release the lock without one, its defect 4).
/// </summary>
public static class OneWordPostUpdate
{
    /// <summary>The state with the reboot it still waits for, or as it is when the reboot has happened (or the operator says so).</summary>
    public static UpdateState Resolve(UpdateState state, UpdateOptions options, UpdateRequest request, ILog log)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(log);
        if (state is not { FromOneWordFile: true, Step: UpdateStep.PostUpdate, Reboot: null })
        {
            return state;
        }

        string what = $"foreman_dlm_updater's state file {options.StatePath} says post_update";
        if (request.AssumeRebooted)
        {
            log.Info($"{what}; --assume-rebooted says its reboot has happened");
            return state;
        }

        // stat through libc: the state file's path may hold bytes that are not UTF-8 (README, "Paths are bytes").
        var writtenAt = FileStat.TryStat(options.StatePath, out var written) == 0
            ? DateTimeOffset.FromUnixTimeSeconds(written.MtimeSeconds).AddTicks(written.MtimeNanoseconds / 100)
            : new DateTimeOffset(File.GetLastWriteTimeUtc(options.StatePath));
        var bootStarted = BootTime.Read(options.BootTimeFile);
        if (!WrittenSinceBoot(writtenAt, bootStarted))
        {
            log.Info($"{what}, written before this boot started ({bootStarted:yyyy-MM-dd HH:mm:ss zzz}): its reboot has happened");
            return state;
        }

        string bootId = BootId.Read(options.BootIdFile);
        log.Info($"{what}, written at {writtenAt:yyyy-MM-dd HH:mm:ss zzz}, after this boot started ({bootStarted:yyyy-MM-dd HH:mm:ss zzz}): " +
            "it was written before reboot_cmd ran, and the host has not rebooted since");
        return state with { Reboot = new PendingReboot(bootId, writtenAt) };
    }

    /// <summary>
    /// Whether a file written at <paramref name="writtenAt"/> belongs to the boot that started at
    /// <paramref name="bootStarted"/> (whole seconds, as the kernel gives it). Ties count as this boot: the safe side.
    /// </summary>
    public static bool WrittenSinceBoot(DateTimeOffset writtenAt, DateTimeOffset bootStarted) => writtenAt >= bootStarted;
}
