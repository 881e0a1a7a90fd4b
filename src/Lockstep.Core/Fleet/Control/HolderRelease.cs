using Lockstep.Locks;
using Lockstep.Logging;

namespace Lockstep.Fleet.Control;

/// <summary>The id named holds no slot: nothing was released.</summary>
public sealed class NotHeldException(string message) : Exception(message);

/// <summary>
/// <c>lockstep lock release --holder ID --reason TEXT</c>: frees another host's slot (the
/// operator's way out for a dead host) and records who did it, when and why with that host's report.
/// </summary>
public static class HolderRelease
{
    public static async Task<string> ReleaseAsync(FleetContext fleet, string holder, string reason, string by, ILog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(log);
        if (fleet.BackendName == "foreman")
        {
            throw new NotSupportedException(
                "Foreman DLM gives a lock back only to the host whose certificate holds it; release it in Foreman (Infrastructure > DLM Locks) or run lockstep lock release on that host");
        }

        var state = await fleet.Backend.InspectAsync(fleet.LockName, fleet.HolderId, cancellationToken).ConfigureAwait(false);
        if (state.HoldersKnown && !state.Holders.Any(h => h.Id == holder))
        {
            string holders = state.Holders.Count == 0 ? "nobody" : string.Join(", ", state.Holders.Select(h => h.Id));
            throw new NotHeldException($"'{holder}' holds no slot of lock {fleet.LockName} on {fleet.Backend.Describe} (held by {holders}): nothing released; check the id with lockstep fleet status");
        }

        await fleet.Backend.ReleaseAsync(fleet.LockName, holder, cancellationToken).ConfigureAwait(false);
        string done = $"released the slot of '{holder}' in lock {fleet.LockName} on {fleet.Backend.Describe}";
        if (fleet.OptionalStore is not { } store)
        {
            log.Warn($"{done}, but the fleet keeps no view (no [fleet] store), so the release is recorded nowhere but here");
            return done;
        }

        try
        {
            await FleetControl.AppendAuditAsync(store, fleet.LockName, holder, new AuditEntry(fleet.Clock.GetUtcNow(), by, "released", reason), cancellationToken).ConfigureAwait(false);
            return $"{done}; recorded with its report in {store.Describe}";
        }
        catch (LockException e)
        {
            log.Warn($"{done}, but the record of it could not be written: {e.Message}");
            return done;
        }
    }

    /// <summary>Why <paramref name="id"/> cannot be a holder id (empty, control characters, too long), or null.</summary>
    public static string? Problem(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length == 0 || string.IsNullOrWhiteSpace(id))
        {
            return "an empty holder id";
        }

        if (id.Any(char.IsControl))
        {
            return "a holder id with a control character (newline, tab, escape)";
        }

        return id.Length > 255 ? "a holder id longer than 255 characters" : null;
    }
}
