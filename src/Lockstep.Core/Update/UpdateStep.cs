namespace Lockstep.Update;

/// <summary>The steps of README "The workflow" (lockstep update), in workflow order. The name of each is what state files and scripts see.</summary>
public enum UpdateStep
{
    /// <summary>Run needs_update.d: all exit 0 means nothing to do. Also the idle state: no state file.</summary>
    NeedsUpdate,

    /// <summary>Take the fleet-wide lock, waiting while another host holds it.</summary>
    LockGet,

    /// <summary>Run pre_update.d (quiesce), under the lock.</summary>
    PreUpdate,

    /// <summary>Run update.d (install), under the lock.</summary>
    Update,

    /// <summary>Run needs_reboot.d: any non-zero (or no scripts) means reboot.</summary>
    NeedsReboot,

    /// <summary>Record the boot id and that post_update is next, then run reboot_cmd.</summary>
    Reboot,

    /// <summary>Run post_update.d once the host has rebooted (or needed no reboot).</summary>
    PostUpdate,

    /// <summary>Give the lock back; then the state is cleared.</summary>
    LockRelease,
}

/// <summary>Names and facts about steps.</summary>
public static class UpdateSteps
{
    private static readonly string[] Names =
        ["needs_update", "lock_get", "pre_update", "update", "needs_reboot", "reboot", "post_update", "lock_release"];

    public static IReadOnlyList<UpdateStep> All { get; } =
        [UpdateStep.NeedsUpdate, UpdateStep.LockGet, UpdateStep.PreUpdate, UpdateStep.Update, UpdateStep.NeedsReboot, UpdateStep.Reboot, UpdateStep.PostUpdate, UpdateStep.LockRelease];

    /// <summary>The snake_case name foreman_dlm_updater wrote into its state file.</summary>
    public static string Name(this UpdateStep step) => Names[(int)step];

    /// <summary>
    /// Parses a step name; also the names of foreman_dlm_updater's first releases
    /// (<c>check_update</c>, <c>do_update</c>), so their state files are read as well.
    /// </summary>
    public static bool TryParse(string? text, out UpdateStep step)
    {
        int index = text is null ? -1 : Array.IndexOf(Names, text);
        if (index >= 0)
        {
            step = (UpdateStep)index;
            return true;
        }

        step = text switch
        {
            "check_update" => UpdateStep.NeedsUpdate,
            "do_update" => UpdateStep.Update,
            _ => (UpdateStep)(-1),
        };
        return step >= 0;
    }

    /// <summary>The <c>[main]</c> key naming the step's script directory, or null for steps without scripts.</summary>
    public static string? ScriptsKey(this UpdateStep step) => step switch
    {
        UpdateStep.NeedsUpdate => "needs_update.d",
        UpdateStep.PreUpdate => "pre_update.d",
        UpdateStep.Update => "update.d",
        UpdateStep.NeedsReboot => "needs_reboot.d",
        UpdateStep.PostUpdate => "post_update.d",
        _ => null,
    };

    /// <summary>The steps that run script directories, in workflow order.</summary>
    public static IReadOnlyList<UpdateStep> WithScripts { get; } =
        [UpdateStep.NeedsUpdate, UpdateStep.PreUpdate, UpdateStep.Update, UpdateStep.NeedsReboot, UpdateStep.PostUpdate];
}
