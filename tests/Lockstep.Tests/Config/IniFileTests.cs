using Lockstep.Config;

namespace Lockstep.Tests.Config;

public sealed class IniFileTests
{
    [Fact]
    public void Values_keep_file_line_section_and_key_for_messages()
    {
        var ini = IniFile.Parse("/etc/x.ini", "# comment\n[main]\nLog = /var/log/x.log\n; other comment\nstate: /var/lib/x\n");

        ini.Get("main", "log")!.Text.ShouldBe("/var/log/x.log");
        ini.Get("main", "LOG")!.Where.ShouldBe("/etc/x.ini:3: [main] log");
        ini.Get("main", "state")!.Text.ShouldBe("/var/lib/x");
        ini.Get("main", "absent").ShouldBeNull();
        ini.Get("other", "log").ShouldBeNull();
    }

    [Fact]
    public void Indented_lines_continue_the_previous_value() =>
        IniFile.Parse("f", "[main]\nendpoints = a\n  b\n").Get("main", "endpoints")!.Text.ShouldBe("a\nb");

    [Fact]
    public void A_repeatable_key_keeps_every_line_in_order_with_its_continuations()
    {
        var ini = IniFile.Parse("f", "[main]\nmaintenance_window = Mon 02:00-03:00\n  Tue 02:00-03:00\nlock = x\nMaintenance_Window = Sat 22:00-Sun 04:00\n    Sun 10:00-11:00\n[other]\nmaintenance_window = Wed 01:00-02:00\n");

        ini.GetAll("main", "maintenance_window").Select(v => (v.Line, v.Text)).ShouldBe([
            (2, "Mon 02:00-03:00\nTue 02:00-03:00"), (5, "Sat 22:00-Sun 04:00\nSun 10:00-11:00"),
        ]);
        ini.GetAll("other", "maintenance_window").Select(v => v.Text).ShouldBe(["Wed 01:00-02:00"]);
        ini.GetAll("main", "lock").Select(v => v.Text).ShouldBe(["x"]);
        ini.GetAll("main", "absent").ShouldBeEmpty();
    }

    [Theory]
    [InlineData("key = value\n", "f:1: 'key = value' comes before any [section]; put it under [main]")]
    [InlineData("[main\n", "f:1: malformed section header '[main'; write it as [name]")]
    [InlineData("[main]\njust words\n", "f:2: expected 'key = value', found 'just words'")]
    [InlineData("[main]\nlock = a\nLock = b\n", "f:3: [main] lock is set twice (first at line 2); keep one")]
    [InlineData("[main]\na = 1\n[main]\nb = 2\n", "f:3: section [main] appears twice; merge the two into one")]
    public void Malformed_files_are_refused_naming_the_line(string text, string message) =>
        Should.Throw<ConfigException>(() => IniFile.Parse("f", text)).Message.ShouldBe(message);

    [Fact]
    public void A_file_far_larger_than_any_configuration_is_refused_without_reading_it_all()
    {
        using var temp = new Support.TempDir();
        string huge = temp.File("huge.ini", "");
        using (var stream = File.OpenWrite(huge))
        {
            stream.SetLength(64L * 1024 * 1024);
        }

        Should.Throw<ConfigException>(() => IniFile.Load(huge)).Message
            .ShouldBe($"{huge}: configuration file cannot be read (it is larger than 1 MiB, far more than such a file holds); check --config");
    }

    [Fact]
    public void A_device_is_refused_as_no_regular_file_without_reading_it() =>
        Should.Throw<ConfigException>(() => IniFile.Load("/dev/zero")).Message
            .ShouldBe("/dev/zero: configuration file cannot be read (it is a character device, not a regular file); check --config");

    [Theory]
    [InlineData("12", 12)]
    [InlineData(" 0", 0)]
    public void Whole_numbers_parse(string text, int expected) =>
        IniFile.Parse("f", $"[main]\nn = {text}\n").Get("main", "n")!.AsInt(0).ShouldBe(expected);

    [Fact]
    public void A_bad_number_names_where_it_is_and_what_to_do() =>
        Should.Throw<ConfigException>(() => IniFile.Parse("f", "[main]\nn = soon\n").Get("main", "n")!.AsInt(0))
            .Message.ShouldBe("f:2: [main] n = 'soon' is not a whole number 0 or more; fix the value");
}
