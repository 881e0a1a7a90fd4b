namespace Lockstep.State;

/// <summary>One registered path: where the service expects its state, and whether a symlink into the state root is left there.</summary>
public sealed record StatefulPath(string Path, bool LeaveSymlink)
{
    /// <summary>
    /// Checks a path for the registry and gives its canonical spelling (single slashes, no trailing
    /// slash). The registry format cannot hold ';' or a newline; '.' and '..' would let two spellings
    /// name one path, so they are refused rather than resolved.
    /// </summary>
    public static bool TryNormalize(string raw, out string normalized, out string problem)
    {
        normalized = "";
        problem = "";
        if (raw.Length == 0)
        {
            problem = "the path is empty; give an absolute path such as /var/lib/postgresql";
        }
        else if (raw.Contains('\n', StringComparison.Ordinal) || raw.Contains('\0', StringComparison.Ordinal))
        {
            problem = $"'{Printable(raw)}' contains a newline or NUL, which the registry (one path a line) cannot hold";
        }
        else if (raw.Contains('\uFFFD', StringComparison.Ordinal))
        {
            // Lockstep reads its arguments' bytes from /proc (README, "Paths are bytes"); without /proc, .NET's U+FFFD would register another path.
            problem = $"'{raw}' contains U+FFFD, which stands for bytes that are not UTF-8 when /proc is not mounted; mount /proc, or rename the path";
        }
        else if (raw.Contains(';', StringComparison.Ordinal))
        {
            problem = $"'{raw}' contains ';', which separates the path from its flag in the registry; rename the path";
        }
        else if (raw[0] != '/')
        {
            problem = $"'{raw}' is not an absolute path; give it from /, e.g. /{raw.TrimStart('.', '/')}";
        }
        else
        {
            string[] parts = raw.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Any(p => p is "." or ".."))
            {
                problem = $"'{raw}' contains '.' or '..'; give the path without them";
            }
            else if (parts.Length == 0)
            {
                problem = "'/' itself cannot be a stateful path; register the directories below it";
            }
            else
            {
                normalized = "/" + string.Join('/', parts);
                return true;
            }
        }

        return false;
    }

    /// <summary>The registry line: use-ephemeral's <c>PATH;true</c> or <c>PATH;</c>.</summary>
    public string ToRegistryLine() => LeaveSymlink ? $"{Path};true" : $"{Path};";

    private static string Printable(string text) => text.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\0", "\\0", StringComparison.Ordinal);
}
