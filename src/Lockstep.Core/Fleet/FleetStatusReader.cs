using Lockstep.Locks;

namespace Lockstep.Fleet;

/// <summary>Reads the lock, the reports, the pause and the audit, and puts them together as a <see cref="FleetView"/>.</summary>
public static class FleetStatusReader
{
    public static async Task<FleetView> ReadAsync(FleetContext fleet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        string lockName = fleet.LockName;
        var state = await fleet.Backend.InspectAsync(lockName, fleet.HolderId, cancellationToken).ConfigureAwait(false);
        var reports = await fleet.Store.ListAsync(FleetKeys.Hosts(lockName), cancellationToken).ConfigureAwait(false);
        var audits = await fleet.Store.ListAsync(FleetKeys.Audits(lockName), cancellationToken).ConfigureAwait(false);
        var pause = await FleetControl.ReadPauseAsync(fleet.Store, lockName, cancellationToken).ConfigureAwait(false);
        var now = fleet.Clock.GetUtcNow();

        var byHost = new SortedDictionary<string, (HostReport? Report, string? Problem)>(StringComparer.Ordinal);
        foreach (var entry in reports)
        {
            var report = FleetJson.ParseReport(entry.Value, out string? problem);
            byHost[FleetKeys.IdOf(entry.Key, FleetKeys.Hosts(lockName))] = (report, report is null ? $"{fleet.Store.Describe} key {entry.Key}: {problem}" : null);
        }

        var holders = state.HoldersKnown ? state.Holders.Select(h => h.Id).ToList() : null;
        foreach (string holder in holders ?? [])
        {
            byHost.TryAdd(holder, (null, null));
        }

        // A host released by hand shows with its audit even when it never reported (a ghost).
        var auditByHost = audits.ToDictionary(
            e => FleetKeys.IdOf(e.Key, FleetKeys.Audits(lockName)),
            e => (IReadOnlyList<AuditEntry>?)FleetJson.ParseAudit(e.Value, out _) ?? [],
            StringComparer.Ordinal);
        foreach (string audited in auditByHost.Keys)
        {
            byHost.TryAdd(audited, (null, null));
        }

        var rows = byHost.Select(pair =>
        {
            bool? holds = holders is null ? null : holders.Contains(pair.Key, StringComparer.Ordinal);
            var flags = FleetFlags.For(pair.Value.Report, pair.Value.Problem is not null, holds, now, fleet.Options.StuckAfter, fleet.Options.SilentAfter);
            return new FleetRow(pair.Key, pair.Value.Report, pair.Value.Problem, holds, auditByHost.GetValueOrDefault(pair.Key) ?? [], flags);
        }).ToList();
        return new FleetView(lockName, fleet.BackendName, fleet.Backend.Describe, fleet.Store.Describe, state.Slots, holders, pause, rows, now);
    }
}
