using System.Diagnostics;
using Lockstep.Config;

namespace Lockstep.Tests.Config;

/// <summary>
/// The update config's <c>%</c> interpolation and [DEFAULT], each case side by side with Python's
/// own configparser (the reader foreman_dlm_updater used), so both must agree on value or refusal.
/// </summary>
public sealed class InterpolationTests
{
    // Each case: the file, the section and key read, then what configparser gives
    // ("=value", "!" for an error, "-" for no value).
    public static TheoryData<string, string, string, string> Cases => new()
    {
        { "[main]\na = 100%%\n", "main", "a", "=100%" },
        { "[main]\na = %%(b)s\n", "main", "a", "=%(b)s" },
        { "[main]\nb = x\na = %(B)s/y\n", "main", "a", "=x/y" },
        { "[main]\na = %(b)s%(b)s\nb = x\n", "main", "a", "=xx" },
        { "[DEFAULT]\nb = x\n[main]\na = %(b)s/y\n", "main", "a", "=x/y" },
        { "[DEFAULT]\nb = x\na = %(b)s/y\n[main]\nb = z\n", "main", "a", "=z/y" },
        { "[DEFAULT]\nlock_name = updates\n[main]\n", "main", "lock_name", "=updates" },
        { "[DEFAULT]\nlock_name = updates\n[main]\nlock_name = mine\n", "main", "lock_name", "=mine" },
        { "[DEFAULT]\nslots = 3\n[main]\n", "etcd", "slots", "-" },
        { "[main]\na = %(c)s\nc = 50%%\n", "main", "a", "=50%" },
        { "[main]\na = %(b)s\nb = one\n  two\n", "main", "a", "=one\ntwo" },
        { "[main]\nbad = 5%\na = 1\n", "main", "a", "=1" },
        { "[default]\nb = x\n[main]\na = %(b)s\n", "main", "a", "!" },
        { "[main]\na = 100%\n", "main", "a", "!" },
        { "[main]\na = x%y\n", "main", "a", "!" },
        { "[main]\na = %(b)d\nb = 1\n", "main", "a", "!" },
        { "[main]\na = %()s\n", "main", "a", "!" },
        { "[main]\na = %(b\n", "main", "a", "!" },
        { "[main]\na = %(missing)s\n", "main", "a", "!" },
        { "[main]\na = %(c)s\nc = 50%\n", "main", "a", "!" },
        { "[main]\na = %(a)s\n", "main", "a", "!" },
        { "[main]\na = %(b)s\nb = %(a)s\n", "main", "a", "!" },
        { "[etcd]\nb = x\n[main]\na = %(b)s\n", "main", "a", "!" },
        { Chain(9), "main", "k0", "=end" },
        { Chain(10), "main", "k0", "=end" },
        { Chain(11), "main", "k0", "!" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Values_are_read_as_configparser_reads_them(string text, string section, string key, string expected)
    {
        Configparser(text, section, key).ShouldBe(expected, "configparser itself");
        Lockstep(text, section, key).ShouldBe(expected, "Lockstep");
    }

    [Theory]
    [InlineData("[main]\na = 100%\n", "f:2: [main] a = '100%' has a '%' not followed by '%' or '(name)s'; write %% for a literal %")]
    [InlineData("[main]\na = %(b\n", "f:2: [main] a = '%(b' has a bad reference (write %(name)s, or %% for a literal %)")]
    [InlineData("[main]\na = %(Nope)s\n", "f:2: [main] a = '%(Nope)s' refers to %(nope)s, which neither [main] nor [DEFAULT] sets; set it, or write %% for a literal %")]
    [InlineData("[DEFAULT]\na = %(b)s\n[main]\n", "f:2: [DEFAULT] a = '%(b)s' refers to %(b)s, which neither [main] nor [DEFAULT] sets; set it, or write %% for a literal %")]
    [InlineData("[main]\na = %(a)s\n", "f:2: [main] a = '%(a)s' goes more than 10 %(name)s references deep (a reference loop?); resolve the chain")]
    [InlineData("[main]\na = %(b)s\nb = \x1b[2J%\n", "f:2: [main] a = '%(b)s' has a '%' not followed by '%' or '(name)s'; write %% for a literal %")]
    public void A_bad_reference_is_one_line_naming_file_line_and_key(string text, string message) =>
        Should.Throw<ConfigException>(() => IniFile.Parse("f", text).Get("main", "a")).Message.ShouldBe(message);

    [Fact]
    public void Default_is_no_section_of_its_own_and_its_keys_are_not_the_sections_own()
    {
        var ini = IniFile.Parse("f", "[DEFAULT]\nx = 1\n[main]\ny = 2\n");

        ini.HasSection("DEFAULT").ShouldBeFalse();
        ini.Get("DEFAULT", "x").ShouldBeNull();
        ini.Get("main", "x")!.Where.ShouldBe("f:2: [DEFAULT] x");
        ini.Values("main").Select(v => v.Key).ShouldBe(["y"]);
    }

    private static string Chain(int links) =>
        "[main]\n" + string.Concat(Enumerable.Range(0, links).Select(i => $"k{i} = %(k{i + 1})s\n")) + $"k{links} = end\n";

    private static string Lockstep(string text, string section, string key)
    {
        try
        {
            return IniFile.Parse("f", text).Get(section, key) is { } value ? "=" + value.Text : "-";
        }
        catch (ConfigException e)
        {
            e.Message.ShouldNotContain("\n");
            return "!";
        }
    }

    private static string Configparser(string text, string section, string key)
    {
        const string Script = """
            import configparser, sys
            c = configparser.ConfigParser()
            try:
                c.read_string(sys.stdin.read())
                v = c.get(sys.argv[1], sys.argv[2], fallback=None)
                sys.stdout.write("-" if v is None else "=" + v)
            except configparser.Error:
                sys.stdout.write("!")
            """;
        var start = new ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in new[] { "-c", Script, section, key })
        {
            start.ArgumentList.Add(argument);
        }

        using var python = Process.Start(start)!;
        python.StandardInput.Write(text);
        python.StandardInput.Close();
        string output = python.StandardOutput.ReadToEnd();
        python.WaitForExit();
        python.ExitCode.ShouldBe(0);
        return output;
    }
}
