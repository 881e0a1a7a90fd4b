using Lockstep.Config;
using Lockstep.Logging;

namespace Lockstep.Locks.Semaphore;

/// <summary>
/// The warning when a backend's <c>slots</c> setting and the count stored with an existing group
/// disagree (README "Lock backends", Slots): the stored count is in force, since <c>slots</c> is
/// used only when a group is created. <see cref="Warning"/> decides; an instance says it once per
/// group for the backend that owns it (once per run, not on every try while waiting).
/// </summary>
public sealed class SlotsMismatch(IniValue? configured, ILog log)
{
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);

    /// <summary>Warns when the count stored for <paramref name="group"/> differs from the setting, the first time only.</summary>
    public void Check(string group, int stored, string where)
    {
        if (Warning(configured, stored, where) is not { } warning)
        {
            return;
        }

        lock (_warned)
        {
            if (!_warned.Add(group))
            {
                return;
            }
        }

        log.Warn(warning);
    }

    /// <summary>Null when <paramref name="configured"/> is not set or agrees with <paramref name="stored"/>; else the one line to log.</summary>
    /// <param name="where">The group as stored, for the message ("etcd key K in etcd at ...").</param>
    public static string? Warning(IniValue? configured, int stored, string where)
    {
        if (configured is null)
        {
            return null;
        }

        int wanted = configured.AsInt(min: 1);
        if (wanted == stored)
        {
            return null;
        }

        return $"{configured.Where} = {wanted}, but {where} has total_slots {stored}: {stored} is in force (slots is used only when a group is created); " +
               $"change the group with 'lockstep lock slots {wanted} --config {configured.File}', or set slots = {stored}";
    }
}
