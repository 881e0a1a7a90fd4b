namespace Lockstep.Refresh;

/// <summary>os-refresh-config's phases, in the order they run, and the directories that hold them.</summary>
public static class RefreshPhases
{
    /// <summary>Quiesce, configure, activate, then online migrations once the host is fully configured.</summary>
    public static readonly IReadOnlyList<string> All = ["pre-configure", "configure", "post-configure", "migration"];

    /// <summary>Not a phase: run once when a phase fails.</summary>
    public const string ErrorHandlers = "error";

    public static string DirectoryOf(string baseDirectory, string phase) => Path.Combine(baseDirectory, phase + ".d");

    /// <summary>The phases named, in canonical order whatever order they were given in; accepts <c>configure</c> or <c>configure.d</c>.</summary>
    public static IReadOnlyList<string> Select(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in names)
        {
            wanted.Add(Normalise(name) ?? throw new ArgumentException($"unknown phase '{name}'; phases are {string.Join(", ", All)}"));
        }

        return wanted.Count == 0 ? All : [.. All.Where(wanted.Contains)];
    }

    /// <summary>The canonical phase name, or null when <paramref name="name"/> is none.</summary>
    public static string? Normalise(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string bare = name.EndsWith(".d", StringComparison.Ordinal) ? name[..^2] : name;
        return All.Contains(bare, StringComparer.Ordinal) ? bare : null;
    }
}
