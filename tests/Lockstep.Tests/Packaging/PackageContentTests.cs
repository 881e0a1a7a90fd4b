using System.IO.Compression;
using System.Text.RegularExpressions;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.Packaging;

/// <summary>What the .deb holds, unpacked: lintian's verdict, one version everywhere, man pages and completion true to --help.</summary>
public sealed partial class PackageContentTests : IDisposable
{
    private readonly TempDir _unpacked = new();

    public PackageContentTests()
    {
        var unpack = PackageArtifacts.Run("/usr/bin/dpkg-deb", null, "--raw-extract", PackageArtifacts.Deb, _unpacked.Path);
        unpack.ExitCode.ShouldBe(0, unpack.ToString());
    }

    private string Binary => _unpacked["usr/bin/lockstep"];

    [Fact]
    public void Lintian_reports_no_errors_and_no_warnings()
    {
        var lintian = PackageArtifacts.Run("/usr/bin/lintian", null, "--fail-on", "error,warning", PackageArtifacts.Deb);
        lintian.ExitCode.ShouldBe(0, lintian.ToString());
        lintian.Stdout.Split('\n').ShouldNotContain(line => line.StartsWith("E:") || line.StartsWith("W:"), lintian.ToString());
    }

    [Fact]
    public void The_binary_the_control_file_the_changelog_and_the_file_name_carry_the_version_of_Directory_Build_props()
    {
        string version = PackageArtifacts.Version;
        version.ShouldMatch(@"^\d+\.\d+\.\d+");
        Run(Binary, "--version").ShouldBe(version + "\n");
        File.ReadAllText(_unpacked["DEBIAN/control"]).ShouldContain($"\nVersion: {version}\n");
        using var changelog = new GZipStream(File.OpenRead(_unpacked["usr/share/doc/lockstep/changelog.gz"]), CompressionMode.Decompress);
        new StreamReader(changelog).ReadLine().ShouldStartWith($"lockstep ({version}) ");
        Path.GetFileName(PackageArtifacts.Deb).ShouldBe($"lockstep_{version}_amd64.deb");
    }

    [Fact]
    public void Every_command_has_a_man_page_listing_each_option_and_subcommand_as_its_help_does()
    {
        var commands = Rows(Help([]), "Commands").Select(r => r.Name.Split(' ')[0]).ToList();
        commands.ShouldContain("run-parts");
        foreach (var command in commands.Select(c => new[] { c }).Prepend([]))
        {
            string page = _unpacked[$"usr/share/man/man8/{string.Join('-', ["lockstep", .. command])}.8.gz"];
            File.Exists(page).ShouldBeTrue(page);
            string[] text = ManText(page);
            var help = Help(command);
            foreach (var section in new[] { "Arguments", "Options", "Commands" })
            {
                foreach (var (name, description) in Rows(help, section))
                {
                    text.ShouldContain(name, $"{page}: {section}");
                    text.ShouldContain(description, $"{page}: {name}");
                }
            }

            foreach (var (sub, _) in command.Length == 1 ? Rows(help, "Commands") : [])
            {
                foreach (var (name, description) in Rows(Help([.. command, sub.Split(' ')[0]]), "Options"))
                {
                    text.ShouldContain(name, $"{page}: {sub}");
                    text.ShouldContain(description, $"{page}: {sub} {name}");
                }
            }

            // man renders it without a complaint.
            var man = PackageArtifacts.Run("/usr/bin/man", new Dictionary<string, string?> { ["MANWIDTH"] = "80" }, "--warnings", "-l", page);
            man.ExitCode.ShouldBe(0, man.ToString());
            man.Stderr.ShouldBeEmpty(page);
        }

        File.Exists(_unpacked["usr/share/man/man8/lockstep-dropins.8.gz"]).ShouldBeTrue();
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("run-parts", "-")] // with no '-' yet, run-parts completes its DIR
    [InlineData("refresh", "")]
    [InlineData("history", "")]
    [InlineData("state", "")]
    [InlineData("state register", "")]
    [InlineData("update", "")]
    [InlineData("lock", "")]
    [InlineData("lock status", "")]
    public void Bash_completion_offers_the_subcommands_and_options_the_help_lists(string command, string current)
    {
        string[] words = command.Length == 0 ? [] : command.Split(' ');
        var help = Help(words);
        var expected = Rows(help, "Commands").Select(r => r.Name.Split(' ')[0])
            .Concat(Rows(help, "Options").SelectMany(r => r.Name.Split(' ')).Select(w => w.TrimEnd(',')).Where(w => w.StartsWith('-') && w is not "-?" and not "-h"))
            .Where(w => w.StartsWith(current, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();
        expected.ShouldNotBeEmpty();

        string script = $$"""
            source '{{_unpacked["usr/share/bash-completion/completions/lockstep"]}}'
            COMP_WORDS=(lockstep {{command}} '{{current}}')
            COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            _lockstep
            printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort
            """;
        Run("/bin/bash", "-c", script).Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe(expected);
    }

    [Fact]
    public void Bash_completion_completes_option_values_and_a_prefix()
    {
        string completion = _unpacked["usr/share/bash-completion/completions/lockstep"];
        string Complete(string words) => Run("/bin/bash", "-c", $"""
            source '{completion}'
            COMP_WORDS=({words})
            COMP_CWORD=$(( ${"{#"}COMP_WORDS[@]{"}"} - 1 ))
            _lockstep
            printf '%s\n' "${"{"}COMPREPLY[@]{"}"}"
            """);

        Complete("lockstep run-parts --order ''").ShouldBe("numeric\nlexical\n");
        Complete("lockstep refresh --print-p").ShouldBe("--print-phases\n");
        Complete("lockstep st").ShouldBe("state\n");
    }

    public void Dispose() => _unpacked.Dispose();

    private Dictionary<string, List<string>> Help(string[] command)
    {
        var sections = new Dictionary<string, List<string>>();
        List<string>? current = null;
        foreach (string line in Run(Binary, [.. command, "--help"]).Split('\n'))
        {
            if (line.Length > 0 && !line.StartsWith(' ') && line.EndsWith(':'))
            {
                sections[line.TrimEnd(':')] = current = [];
            }
            else if (current is not null && line.Trim().Length > 0)
            {
                current.Add(line.Trim());
            }
        }

        return sections;
    }

    private static IEnumerable<(string Name, string Description)> Rows(Dictionary<string, List<string>> help, string section) =>
        help.TryGetValue(section, out var lines)
            ? lines.Select(l => TwoSpaces().Split(l, 2)).Select(p => (p[0], p.Length > 1 ? p[1] : ""))
            : [];

    /// <summary>The page's lines as text: roff escapes undone, requests dropped.</summary>
    private static string[] ManText(string page)
    {
        using var stream = new GZipStream(File.OpenRead(page), CompressionMode.Decompress);
        return new StreamReader(stream).ReadToEnd().Split('\n')
            .Where(l => !l.StartsWith('.'))
            .Select(l => l.Replace("\\fB", "").Replace("\\fR", "").Replace("\\fI", "").Replace("\\-", "-").Replace("\\&", "").Replace("\\e", "\\"))
            .ToArray();
    }

    private static string Run(string program, params string[] args)
    {
        var result = PackageArtifacts.Run(program, null, args);
        result.ExitCode.ShouldBe(0, result.ToString());
        return result.Stdout;
    }

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex TwoSpaces();
}
