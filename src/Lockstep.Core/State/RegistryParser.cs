namespace Lockstep.State;

/// <summary>What a registry holds: the usable paths (parents before children) and one line per line it could not use.</summary>
public sealed record RegistryContents(IReadOnlyList<StatefulPath> Paths, IReadOnlyList<string> Problems)
{
    public static readonly RegistryContents Empty = new([], []);
}

/// <summary>
/// use-ephemeral's registry: one path a line, as <c>PATH;true</c> (leave a symlink), <c>PATH;</c>,
/// or plain <c>PATH</c> (the oldest format). Blank lines are skipped; a repeated path counts once.
/// </summary>
public static class RegistryParser
{
    public static RegistryContents Parse(string text, string file)
    {
        var paths = new Dictionary<string, StatefulPath>(StringComparer.Ordinal);
        var problems = new List<string>();
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            string where = $"{file}:{i + 1}";
            if (ParseLine(line, out var entry) is { } problem)
            {
                problems.Add($"{where}: {problem}");
            }
            else if (!paths.TryAdd(entry.Path, entry) && paths[entry.Path].LeaveSymlink != entry.LeaveSymlink)
            {
                problems.Add($"{where}: '{entry.Path}' is registered again with a different symlink flag; keep one of its lines");
            }
        }

        // Ordinal order puts a directory before everything below it, so an outer path is handled first.
        var sorted = paths.Values.OrderBy(p => p.Path, StringComparer.Ordinal).ToList();
        return new RegistryContents(sorted, problems);
    }

    /// <summary>Parses one non-blank line; returns why it is unusable, or null.</summary>
    public static string? ParseLine(string line, out StatefulPath entry)
    {
        entry = new StatefulPath("", false);
        int separator = line.IndexOf(';', StringComparison.Ordinal);
        string raw = separator < 0 ? line : line[..separator];
        string flag = separator < 0 ? "" : line[(separator + 1)..];
        if (flag.Contains(';', StringComparison.Ordinal))
        {
            return $"'{line}' has more than one ';'; a line is PATH;true or PATH;";
        }

        if (flag is not ("" or "true"))
        {
            return $"'{line}' has '{flag}' after ';'; only 'true' (leave a symlink) or nothing is understood";
        }

        if (!StatefulPath.TryNormalize(raw, out string path, out string problem))
        {
            return problem;
        }

        entry = new StatefulPath(path, flag == "true");
        return null;
    }
}
