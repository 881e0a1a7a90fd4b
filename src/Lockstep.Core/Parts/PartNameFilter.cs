using System.Text;
using System.Text.RegularExpressions;
using Lockstep.Logging;
using Lockstep.Processes;

namespace Lockstep.Parts;

/// <summary>Which names are parts: dib-run-parts' <c>^[0-9A-Za-z_-]+$</c>, or RUN_PARTS_REGEX (an extended regex, as grep -E reads it in the caller's locale; README "RUN_PARTS_REGEX").</summary>
public sealed class PartNameFilter
{
    public const string EnvironmentVariable = "RUN_PARTS_REGEX";

    public static readonly PartNameFilter Default = new(null, "^[0-9A-Za-z_-]+$");

    private readonly Regex? _regex;

    /// <summary>The pattern for names holding a code point above U+FFFF, built only when one comes (UTF-8 locales).</summary>
    private readonly Lazy<Regex>? _astral;

    /// <summary>False when grep's locale is single-byte: a name is then matched as its bytes, one unit each.</summary>
    private readonly bool _codePoints;

    private PartNameFilter(Regex? regex, string pattern, bool codePoints = true, Lazy<Regex>? astral = null)
    {
        _regex = regex;
        _astral = astral;
        Pattern = pattern;
        _codePoints = codePoints;
    }

    public string Pattern { get; }

    /// <summary>Builds the filter from RUN_PARTS_REGEX and the locale of <paramref name="environment"/>, as dib-run-parts' grep -E would.</summary>
    public static PartNameFilter FromEnvironment(ProcessEnvironment environment) =>
        FromEnvironment(environment.Get(EnvironmentVariable), RegexLocale.FromEnvironment(environment.Get));

    /// <summary>
    /// Builds the filter from RUN_PARTS_REGEX read as grep -E reads it in <paramref name="locale"/>
    /// (<see cref="ExtendedRegex"/>); throws <see cref="PartsException"/> (status 2) naming the
    /// variable when grep -E would reject it, or when it is .NET syntax grep -E reads otherwise.
    /// </summary>
    public static PartNameFilter FromEnvironment(string? value, RegexLocale locale)
    {
        // dib-run-parts reads ${RUN_PARTS_REGEX:-default}: empty means the default too.
        if (string.IsNullOrEmpty(value))
        {
            return Default;
        }

        try
        {
            // Both forms are translated (and so checked) now; the one for names above U+FFFF is
            // built only when such a name comes.
            string astralPattern = locale.CodePoints ? ExtendedRegex.Translate(value, locale) : "";
            var regex = Compile(ExtendedRegex.Translate(value, locale, astral: false));
            var astral = locale.CodePoints ? new Lazy<Regex>(() => Compile(astralPattern)) : null;
            return new PartNameFilter(regex, value, locale.CodePoints, astral);
        }
        catch (ExtendedRegexException e) when (e.Refused)
        {
            throw new PartsException($"{EnvironmentVariable}='{Shown(value)}': {e.Message}", PartsExitCodes.Usage);
        }
        catch (ExtendedRegexException e)
        {
            throw new PartsException(
                $"{EnvironmentVariable}='{Shown(value)}' is not a valid extended regular expression ({e.Message}); fix or unset it",
                PartsExitCodes.Usage);
        }
        catch (ArgumentException e)
        {
            throw new PartsException(
                $"{EnvironmentVariable}='{Shown(value)}' cannot be matched ({e.Message.Split('\n')[0].TrimEnd('.')}); simplify or unset it",
                PartsExitCodes.Usage);
        }
    }

    /// <summary>The pattern as messages show it: control characters escaped, at most 200 characters.</summary>
    private static string Shown(string pattern) => Printable.Escape(pattern, 200);

    /// <summary>The time a pattern the linear engine cannot take may spend on one name.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// .NET's non-backtracking engine: matching takes time linear in the name, so no pattern
    /// (<c>^(a+)+$</c>) can hang a run. What that engine cannot do (back-references, and the
    /// lookarounds word boundaries such as <c>\&lt;</c> become) falls back to the backtracking engine
    /// under <see cref="MatchTimeout"/>, and a name that exceeds it is a usage error (exit 2).
    /// </summary>
    private static Regex Compile(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
        catch (NotSupportedException)
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
        }
    }

    /// <summary>
    /// A pattern of Lockstep's own, which matches a file name in linear time: no match timeout. The
    /// timeout is wall-clock time, so a starved CPU trips it on an ordinary name (exit 70 at a load
    /// average of 150 in the rollout simulation of docs/reliability.md).
    /// </summary>
    internal static PartNameFilter Builtin(string pattern) =>
        new(new Regex(pattern, RegexOptions.CultureInvariant, Regex.InfiniteMatchTimeout), pattern);

    /// <summary>A name as a single-byte locale's grep sees it: each of its bytes (<see cref="OsText"/>: those that are not UTF-8 too) one character.</summary>
    private static string AsBytes(string name) => string.Create(OsText.GetByteCount(name), name, (chars, n) =>
    {
        Span<byte> bytes = chars.Length <= 1024 ? stackalloc byte[chars.Length] : new byte[chars.Length];
        OsText.Encode(n, bytes);
        for (int i = 0; i < bytes.Length; i++)
        {
            chars[i] = (char)bytes[i];
        }
    });

    public bool Matches(string name)
    {
        if (_regex is not null)
        {
            try
            {
                var regex = _astral is not null && name.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF') ? _astral.Value : _regex;
                return regex.IsMatch(_codePoints ? name : AsBytes(name));
            }
            catch (RegexMatchTimeoutException)
            {
                throw new PartsException(
                    $"{EnvironmentVariable}='{Shown(Pattern)}' took more than {MatchTimeout.TotalSeconds:0} s to match the name '{name}' (it backtracks catastrophically); simplify it or unset it",
                    PartsExitCodes.Usage);
            }
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
}
