namespace Lockstep.Parts;

/// <summary>
/// The command line as dib-run-parts reads it: it looks at <c>$1</c> (and <c>$2</c> after
/// <c>--list</c>) and never at what follows the directory, so a caller that passes more (a
/// wrapper forwarding "$@") still runs. Lockstep, invoked as <c>dib-run-parts</c>, keeps its own
/// options before DIR and drops every word after it. See README, "Drop-in names".
/// </summary>
public static class DibRunPartsArguments
{
    /// <summary>
    /// <paramref name="args"/> up to and including the first operand (DIR): words before it are
    /// options (those in <paramref name="optionsWithValue"/> take the next word as their value,
    /// unless written <c>--opt=value</c>); <c>--</c> makes the next word the operand.
    /// </summary>
    public static string[] UpToDirectory(IReadOnlyList<string> args, IReadOnlySet<string> optionsWithValue)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(optionsWithValue);
        for (int i = 0; i < args.Count; i++)
        {
            string word = args[i];
            if (word == "--")
            {
                return [.. args.Take(Math.Min(i + 2, args.Count))];
            }

            if (word.Length > 1 && word[0] == '-')
            {
                if (optionsWithValue.Contains(word))
                {
                    i++;
                }

                continue;
            }

            return [.. args.Take(i + 1)];
        }

        return [.. args];
    }
}
