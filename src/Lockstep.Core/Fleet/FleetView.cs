namespace Lockstep.Fleet;

/// <summary>One host of <c>lockstep fleet status</c>: its report (or why it cannot be read), its slot, its audit and flags.</summary>
public sealed record FleetRow(string Host, HostReport? Report, string? Problem, bool? HoldsSlot, IReadOnlyList<AuditEntry> Audit, IReadOnlyList<string> Flags);

/// <summary>The fleet as <c>lockstep fleet status</c> shows it, at <see cref="Now"/>.</summary>
public sealed record FleetView(
    string Lock, string Backend, string Server, string Store, int? Slots, IReadOnlyList<string>? Holders, PauseRecord? Pause, IReadOnlyList<FleetRow> Rows, DateTimeOffset Now)
{
    public bool Flagged => Rows.Any(r => r.Flags.Count > 0);
}
