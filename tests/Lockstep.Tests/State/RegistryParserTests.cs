using Lockstep.State;

namespace Lockstep.Tests.State;

public sealed class RegistryParserTests
{
    [Theory]
    [InlineData("/etc/ssh/ssh_host_rsa_key;true", "/etc/ssh/ssh_host_rsa_key", true)]
    [InlineData("/var/lib/postgresql;", "/var/lib/postgresql", false)]
    [InlineData("/var/lib/postgresql", "/var/lib/postgresql", false)] // use-ephemeral's first format: no flag at all
    [InlineData("//var//lib/postgresql/;true", "/var/lib/postgresql", true)] // one spelling per path
    [InlineData("/var/lib/with space;", "/var/lib/with space", false)]
    public void A_good_line_gives_its_path_and_flag(string line, string path, bool leaveSymlink)
    {
        RegistryParser.ParseLine(line, out var entry).ShouldBeNull();
        entry.ShouldBe(new StatefulPath(path, leaveSymlink));
    }

    [Theory]
    [InlineData("var/lib/postgresql;", "not an absolute path")]
    [InlineData("/var/lib/pg;yes", "'yes' after ';'")]
    [InlineData("/var/lib/pg;true;", "more than one ';'")]
    [InlineData("/var/lib/pg; true", "' true' after ';'")]
    [InlineData("/var/../etc;", "'.' or '..'")]
    [InlineData("/var/./lib;", "'.' or '..'")]
    [InlineData("/;true", "'/' itself")]
    [InlineData(";true", "empty")]
    public void A_bad_line_says_what_is_wrong_with_it(string line, string expected)
    {
        string? problem = RegistryParser.ParseLine(line, out _);
        problem.ShouldNotBeNull().ShouldContain(expected);
    }

    [Fact]
    public void Bad_lines_are_named_by_file_and_line_and_the_good_ones_are_kept()
    {
        var contents = RegistryParser.Parse("/srv/a;\nrelative;\n\n/srv/b;true\n/srv/c;maybe\n", "/r/stateful-paths");
        contents.Paths.ShouldBe([new StatefulPath("/srv/a", false), new StatefulPath("/srv/b", true)]);
        contents.Problems.Count.ShouldBe(2);
        contents.Problems[0].ShouldStartWith("/r/stateful-paths:2: 'relative' is not an absolute path");
        contents.Problems[1].ShouldStartWith("/r/stateful-paths:5: ");
    }

    [Fact]
    public void A_repeated_path_counts_once_as_use_ephemeral_registries_often_repeat_lines()
    {
        var contents = RegistryParser.Parse("/srv/a;true\n/srv/a;true\n/srv/a/;true\n", "f");
        contents.Paths.ShouldBe([new StatefulPath("/srv/a", true)]);
        contents.Problems.ShouldBeEmpty();
    }

    [Fact]
    public void A_path_repeated_with_the_other_flag_is_a_problem_and_the_first_line_wins()
    {
        var contents = RegistryParser.Parse("/srv/a;true\n/srv/a;\n", "f");
        contents.Paths.ShouldBe([new StatefulPath("/srv/a", true)]);
        contents.Problems.ShouldHaveSingleItem().ShouldStartWith("f:2: '/srv/a' is registered again with a different symlink flag");
    }

    [Fact]
    public void Paths_come_parents_first_so_an_outer_path_is_seeded_before_one_inside_it()
    {
        var contents = RegistryParser.Parse("/srv/a/b;\n/srv/a-b;\n/srv/a;\n/etc/x;\n", "f");
        contents.Paths.Select(p => p.Path).ShouldBe(["/etc/x", "/srv/a", "/srv/a-b", "/srv/a/b"]);
    }

    [Fact]
    public void A_last_line_without_newline_and_blank_lines_are_accepted()
    {
        RegistryParser.Parse("\n  \n/srv/a;true", "f").Paths.ShouldBe([new StatefulPath("/srv/a", true)]);
        var empty = RegistryParser.Parse("", "f");
        empty.Paths.ShouldBeEmpty();
        empty.Problems.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("/a;b", "contains ';'")]
    [InlineData("/a\nb", "newline")]
    [InlineData("a/b", "not an absolute path")]
    [InlineData("/srv/\uFFFD", "contains U+FFFD")]
    public void A_path_the_registry_cannot_hold_is_refused(string raw, string expected)
    {
        StatefulPath.TryNormalize(raw, out _, out string problem).ShouldBeFalse();
        problem.ShouldContain(expected);
    }

    [Fact]
    public void The_registry_line_is_use_ephemerals_format() =>
        new[] { new StatefulPath("/a", true).ToRegistryLine(), new StatefulPath("/b", false).ToRegistryLine() }.ShouldBe(["/a;true", "/b;"]);
}
