using System.Text;
using System.Text.Json.Serialization;

namespace Lockstep.State;

/// <summary>One registered path as <c>lockstep state list</c> shows it.</summary>
/// <param name="Condition"><c>seeded</c> (the state volume has it), <c>pristine-only</c> (restore would seed it),
/// <c>pristine-broken</c> (the pristine copy is a dangling symlink) or <c>missing</c> (neither exists).</param>
/// <param name="Symlink">For paths registered with --leave-symlink: <c>correct</c>, <c>broken</c> (points
/// elsewhere or at nothing), <c>missing</c> or <c>not-a-symlink</c>; otherwise null.</param>
public sealed record StatePathReport(string Path, bool LeaveSymlink, string StatePath, string PristinePath, string Condition, string? Symlink);

/// <summary>Everything <c>lockstep state list</c> reports.</summary>
public sealed record StateListing(string StateRoot, string PristineDir, string Registry, IReadOnlyList<StatePathReport> Paths)
{
    /// <summary>An aligned table for people; scripts use the JSON form.</summary>
    public string ToText()
    {
        var rows = Paths.Select(p => (Path: p.Path, Condition: p.Condition, Symlink: p.Symlink ?? "-")).Prepend((Path: "PATH", Condition: "CONDITION", Symlink: "SYMLINK")).ToList();
        int pathWidth = rows.Max(r => r.Path.Length);
        int conditionWidth = rows.Max(r => r.Condition.Length);
        var text = new StringBuilder();
        foreach (var (path, condition, symlink) in rows)
        {
            text.Append(path.PadRight(pathWidth)).Append("  ").Append(condition.PadRight(conditionWidth)).Append("  ").Append(symlink).Append('\n');
        }

        return text.ToString();
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(StateListing))]
public sealed partial class StateJsonContext : JsonSerializerContext;
