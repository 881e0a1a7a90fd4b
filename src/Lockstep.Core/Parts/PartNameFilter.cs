using System.Text;
using System.Text.RegularExpressions;

namespace Lockstep.Parts;

/// <summary>Which names are parts: dib-run-parts' <c>^[0-9A-Za-z_-]+$</c>, or RUN_PARTS_REGEX (an extended regex, as grep -E).</summary>
public sealed class PartNameFilter
{
    public const string EnvironmentVariable = "RUN_PARTS_REGEX";

    public static readonly PartNameFilter Default = new(null, "^[0-9A-Za-z_-]+$");

    private readonly Regex? _regex;

    private PartNameFilter(Regex? regex, string pattern)
    {
        _regex = regex;
        Pattern = pattern;
    }

    public string Pattern { get; }

    /// <summary>Builds the filter from RUN_PARTS_REGEX; throws <see cref="PartsException"/> naming the variable when it does not compile.</summary>
    public static PartNameFilter FromEnvironment(string? value)
    {
        // dib-run-parts reads ${RUN_PARTS_REGEX:-default}: empty means the default too.
        if (string.IsNullOrEmpty(value))
        {
            return Default;
        }

        try
        {
            return new PartNameFilter(new Regex(TranslateExtendedRegex(value), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)), value);
        }
        catch (ArgumentException e)
        {
            throw new PartsException(
                $"{EnvironmentVariable}='{value}' is not a valid extended regular expression ({e.Message.Split('\n')[0].TrimEnd('.')}); fix or unset it",
                PartsExitCodes.Usage);
        }
    }

    /// <summary>
    /// A pattern of Lockstep's own, which matches a file name in linear time: no match timeout. The
    /// timeout is wall-clock time, so a starved CPU trips it on an ordinary name (exit 70 at a load
    /// average of 150 in the rollout simulation of docs/reliability.md).
    /// </summary>
    internal static PartNameFilter Builtin(string pattern) =>
        new(new Regex(TranslateExtendedRegex(pattern), RegexOptions.CultureInvariant, Regex.InfiniteMatchTimeout), pattern);

    public bool Matches(string name)
    {
        if (_regex is not null)
        {
            return _regex.IsMatch(name);
        }

        if (name.Length == 0)
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>POSIX bracket expressions differ from .NET's: classes like [:digit:] and a literal backslash.</summary>
    internal static string TranslateExtendedRegex(string pattern)
    {
        var result = new StringBuilder(pattern.Length + 8);
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                result.Append(c).Append(pattern[++i]);
            }
            else if (c == '[')
            {
                i = TranslateBracket(pattern, i, result);
            }
            else
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }

    private static int TranslateBracket(string pattern, int open, StringBuilder result)
    {
        int i = open + 1;
        result.Append('[');
        if (i < pattern.Length && pattern[i] == '^')
        {
            result.Append('^');
            i++;
        }

        // A ']' first in the list is a literal.
        if (i < pattern.Length && pattern[i] == ']')
        {
            result.Append(@"\]");
            i++;
        }

        for (; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == ']')
            {
                result.Append(']');
                return i;
            }

            if (c == '[' && i + 1 < pattern.Length && pattern[i + 1] == ':')
            {
                int end = pattern.IndexOf(":]", i + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    throw new ArgumentException($"unterminated character class at offset {i}");
                }

                result.Append(ClassRange(pattern[(i + 2)..end]));
                i = end + 1;
            }
            else if (c is '\\' or '[')
            {
                result.Append('\\').Append(c);
            }
            else
            {
                result.Append(c);
            }
        }

        throw new ArgumentException($"unmatched [ at offset {open}");
    }

    private static string ClassRange(string name) => name switch
    {
        "alpha" => "a-zA-Z",
        "digit" => "0-9",
        "alnum" => "0-9a-zA-Z",
        "upper" => "A-Z",
        "lower" => "a-z",
        "space" => @" \t\n\r\f\v",
        "blank" => @" \t",
        "punct" => @"!-/:-@\[-`{-~",
        "xdigit" => "0-9A-Fa-f",
        "cntrl" => @"\x00-\x1f\x7f",
        "print" => @"\x20-\x7e",
        "graph" => @"\x21-\x7e",
        _ => throw new ArgumentException($"unknown character class [:{name}:]"),
    };
}
