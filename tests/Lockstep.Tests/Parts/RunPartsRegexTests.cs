using Lockstep.Tests.Support;

namespace Lockstep.Tests.Parts;

/// <summary>
/// README "RUN_PARTS_REGEX" through the command line, as lockstep run-parts and as the dib-run-parts
/// drop-in: the names listed are the names GNU grep -E prints for the same pattern in the same
/// locale, and .NET syntax grep -E lacks is refused with one line naming the fix.
/// </summary>
public sealed class RunPartsRegexTests : IDisposable
{
    private static readonly string[] Names =
    [
        "10-a", "20-café", "30-Ωmega", "40-x.sh", "50-naïve", "60-dd", "70-d7", "8", "90-aaa", "99-É", "x-y", "a{3}", "ab",
    ];

    private readonly TempDir _temp = new();
    private readonly string _dir;

    public RunPartsRegexTests()
    {
        _dir = _temp.Dir("parts");
        foreach (string name in Names)
        {
            _temp.Script("parts/" + name, $"echo ran >> {_temp["ran"]}");
        }
    }

    public void Dispose() => _temp.Dispose();

    private CliResult List(string pattern, string locale, bool dropIn = false, string variable = "LC_ALL")
    {
        var options = new CliOptions
        {
            Environment = { ["RUN_PARTS_REGEX"] = pattern, ["LC_ALL"] = null, ["LC_CTYPE"] = null, ["LC_COLLATE"] = null, ["LANG"] = null, [variable] = locale },
            Executable = dropIn ? DropIn() : null,
        };
        return dropIn ? LockstepCli.RunWith(options, "--list", _dir) : LockstepCli.RunWith(options, "run-parts", "--list", _dir);
    }

    private string DropIn()
    {
        string link = _temp["dib-run-parts"];
        if (!File.Exists(link))
        {
            File.CreateSymbolicLink(link, LockstepCli.Binary);
        }

        return link;
    }

    private static List<string> Listed(CliResult result) =>
        [.. result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line[(line.LastIndexOf('/') + 1)..]).Order(StringComparer.Ordinal)];

    [Theory]
    [InlineData("^[0-9]+-[[:alpha:]]+$", "C")]
    [InlineData("^[0-9]+-[[:alpha:]]+$", "C.UTF-8")]
    [InlineData("^[0-9]+-[[:alpha:]]+$", "de_DE")]
    [InlineData("^[0-9]+-[[:upper:]]$", "C.UTF-8")]
    [InlineData("^[0-9]+-[[:lower:]]+$", "de_DE.UTF-8")]
    [InlineData("^[0-9]+-caf.$", "C")]
    [InlineData("^[0-9]+-caf.$", "C.UTF-8")]
    [InlineData("^[0-9]+-caf..$", "C")]
    [InlineData("^[0-9]+-caf..$", "de_DE.UTF-8")]
    [InlineData(@"^\w+-\w+$", "C")]
    [InlineData(@"^\w+-\w+$", "C.UTF-8")]
    [InlineData(@"\<[[:alpha:]]{4,}\>", "C.UTF-8")]
    [InlineData("^a{,3}$", "C")]
    [InlineData("^a{3}$", "C")]
    [InlineData("^*[0-9]+-a+$", "C")]
    [InlineData("-(.)\\1$", "C")]
    [InlineData("^[0-9]+-a+?$", "C")]
    [InlineData("^x-y$\n^ab$", "C")]
    [InlineData("^[0-9]$|Ω", "C.UTF-8")]
    [InlineData("^[0-9]{2}-[a-z]+$", "C.UTF-8")]
    [InlineData("^[0-9]{2}-[[:xdigit:]]+$", "de_DE.UTF-8")]
    [InlineData("^[0-9]{2}-[0-9]+$", "de_DE.UTF-8")]
    public void Lists_the_names_grep_E_selects_in_the_callers_locale(string pattern, string locale)
    {
        var grep = GnuGrep.Run(pattern, Names, locale);
        grep.ExitCode.ShouldBeOneOf([0, 1], grep.Stderr);

        var asLockstep = List(pattern, locale);
        var asDropIn = List(pattern, locale, dropIn: true);

        asLockstep.ExitCode.ShouldBe(0, asLockstep.ToString());
        Listed(asLockstep).ShouldBe([.. grep.Matched.Order(StringComparer.Ordinal)], $"{pattern} in {locale}");
        asDropIn.ExitCode.ShouldBe(0, asDropIn.ToString());
        Listed(asDropIn).ShouldBe([.. grep.Matched.Order(StringComparer.Ordinal)], $"{pattern} in {locale} as dib-run-parts");
    }

    [Theory]
    [InlineData("LC_ALL")]
    [InlineData("LC_CTYPE")]
    [InlineData("LANG")]
    public void The_locale_comes_from_lc_all_lc_ctype_or_lang(string variable)
    {
        var utf8 = List("^[0-9]+-[[:alpha:]]+$", "C.UTF-8", variable: variable);

        utf8.ExitCode.ShouldBe(0, utf8.ToString());
        Listed(utf8).ShouldBe(["10-a", "20-café", "30-Ωmega", "50-naïve", "60-dd", "90-aaa", "99-É"]);
    }

    [Fact]
    public void A_locale_that_is_not_installed_is_the_C_locale_as_for_grep()
    {
        var result = List("^[0-9]+-[[:alpha:]]+$", "xx_NOWHERE.UTF-8");

        result.ExitCode.ShouldBe(0, result.ToString());
        Listed(result).ShouldBe(["10-a", "60-dd", "90-aaa"]);
    }

    [Theory]
    [InlineData(@"^[0-9]+-\d+$", @"\d is not part of extended regular expressions (grep -E reads \d as the plain letter 'd'); write [0-9]")]
    [InlineData(@"^\D", @"\D is not part of extended regular expressions")]
    [InlineData(@"^\p{L}+$", @"\p is not part of extended regular expressions (grep -E reads \p as the plain letter 'p'); write a POSIX class such as [[:alpha:]]")]
    [InlineData(@"\Aab\z", @"\A is not part of extended regular expressions")]
    [InlineData(@"a\tb", @"\t is not part of extended regular expressions")]
    [InlineData(@"^\x41", @"\x is not part of extended regular expressions")]
    [InlineData("^(?=a)ab$", "(?=...) (a lookahead) is .NET syntax, not an extended regular expression")]
    [InlineData("^(?!x).*$", "(?!...) (a negative lookahead)")]
    [InlineData("(?<=-)a$", "(?<=...) (a lookbehind)")]
    [InlineData("(?<!x)a$", "(?<!...) (a negative lookbehind)")]
    [InlineData("^(?<n>a)b$", "(?<name>...) (a named group) is .NET syntax, not an extended regular expression (grep -E reads '(?' as an empty repetition); write a plain group (...)")]
    [InlineData("^(?'n'a)b$", "(?<name>...) (a named group)")]
    [InlineData("^(?P<n>a)b$", "(?<name>...) (a named group)")]
    [InlineData("^(?:a)b$", "(?:...) (a non-capturing group)")]
    [InlineData("(?i)^AB$", "(?flags) (inline options)")]
    [InlineData("^(?>a)b$", "(?>...) (an atomic group)")]
    [InlineData(@"^[\d]+$", @"\d is not part of extended regular expressions (inside [...] grep -E reads \d as the two characters '\' and 'd'); write [0-9]")]
    [InlineData(@"^[^\s]+$", @"\s is not part of extended regular expressions (inside [...]")]
    public void Dotnet_syntax_grep_E_reads_otherwise_is_refused_with_the_fix(string pattern, string message)
    {
        // grep -E accepts each of these, with another meaning: the refusal is Lockstep's choice.
        GnuGrep.Run(pattern, Names, "C.UTF-8").ExitCode.ShouldBeOneOf([0, 1]);

        foreach (bool dropIn in new[] { false, true })
        {
            var result = List(pattern, "C.UTF-8", dropIn);

            result.ExitCode.ShouldBe(2, result.ToString());
            result.Stdout.ShouldBe("");
            result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain($"RUN_PARTS_REGEX='{pattern}': {message}");
        }

        File.Exists(_temp["ran"]).ShouldBeFalse();
    }

    [Theory]
    [InlineData(@"^\d+-", @"\d is not part of extended regular expressions")]
    [InlineData("^(?<n>1)", "(?<name>...) (a named group)")]
    [InlineData("^(10", @"is not a valid extended regular expression (Unmatched ( or \()")]
    public void Refresh_reads_it_alike_and_runs_nothing_when_it_is_refused(string pattern, string message)
    {
        _temp.Script("base/configure.d/10-a", $"echo ran >> {_temp["ran"]}");
        var options = new CliOptions { Environment = { ["RUN_PARTS_REGEX"] = pattern, ["LC_ALL"] = "C.UTF-8" } };

        var result = LockstepCli.RunWith(options, "refresh", "--base-dir", _temp["base"], "--lockfile", _temp["refresh.lock"], "--state-dir", _temp.Dir("state"));

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain($"RUN_PARTS_REGEX='{pattern}'");
        result.Stderr.ShouldContain(message);
        File.Exists(_temp["ran"]).ShouldBeFalse();
    }

    [Fact]
    public void A_refused_pattern_runs_no_script()
    {
        var options = new CliOptions { Environment = { ["RUN_PARTS_REGEX"] = @"^\d+-", ["LC_ALL"] = "C.UTF-8" } };

        var result = LockstepCli.RunWith(options, "run-parts", _dir);

        result.ExitCode.ShouldBe(2, result.ToString());
        File.Exists(_temp["ran"]).ShouldBeFalse();
    }

    [Theory]
    [InlineData("^[0-9]+-[a-z]+$", "the range a-z follows the collation order of the locale de_DE.UTF-8")]
    [InlineData("^[0-9]+-[A-Z]$", "the range A-Z follows the collation order of the locale de_DE.UTF-8")]
    [InlineData("^[0-9]+-[[=e=]]$", "the equivalence class [=e=] follows the collation of the locale de_DE.UTF-8")]
    public void A_range_that_follows_a_collating_locale_is_refused(string pattern, string message)
    {
        var result = List(pattern, "de_DE.UTF-8");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain(message);
        result.Stderr.ShouldContain("run with LC_ALL=C.UTF-8");
        List(pattern, "C.UTF-8").ExitCode.ShouldBe(0);
    }

    [Theory]
    [InlineData("a{1,2,3}", @"Invalid content of \{\}")]
    [InlineData("a{2,1}", @"Invalid content of \{\}")]
    [InlineData("a{32768}", "Regular expression too big")]
    [InlineData("(a", @"Unmatched ( or \(")]
    [InlineData("[[:alpha:]", "Unmatched [, [^, [:, [., or [=")]
    [InlineData("[:alpha:]", "character class syntax is [[:space:]], not [:space:]")]
    [InlineData("[[:nosuch:]]", "Invalid character class name")]
    [InlineData("[z-a]", "Invalid range end")]
    [InlineData("[a-é]", "Invalid collation character")]
    [InlineData(@"(a)\2", "Invalid back reference")]
    [InlineData(@"(a)|\1", "Invalid back reference")]
    [InlineData(@"a\", "Trailing backslash")]
    public void A_pattern_grep_E_rejects_is_a_usage_error_with_greps_reason(string pattern, string reason)
    {
        GnuGrep.Run(pattern, Names, "C.UTF-8").ExitCode.ShouldBe(2);

        var result = List(pattern, "C.UTF-8");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem()
            .ShouldContain($"RUN_PARTS_REGEX='{pattern}' is not a valid extended regular expression ({reason}); fix or unset it");
    }
}
