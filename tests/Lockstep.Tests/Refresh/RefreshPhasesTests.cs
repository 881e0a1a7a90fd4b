using Lockstep.Refresh;

namespace Lockstep.Tests.Refresh;

public sealed class RefreshPhasesTests
{
    [Fact]
    public void Migration_runs_last_after_post_configure() =>
        RefreshPhases.All.ShouldBe(["pre-configure", "configure", "post-configure", "migration"]);

    [Fact]
    public void Selected_phases_run_in_canonical_order_whatever_order_they_were_given_in() =>
        RefreshPhases.Select(["migration", "configure.d", "configure", "pre-configure"]).ShouldBe(["pre-configure", "configure", "migration"]);

    [Fact]
    public void No_selection_means_every_phase() => RefreshPhases.Select([]).ShouldBe(RefreshPhases.All);

    [Theory]
    [InlineData("error")]
    [InlineData("Configure")]
    [InlineData(".d")]
    [InlineData("")]
    public void Unknown_phase_names_are_refused(string name)
    {
        RefreshPhases.Normalise(name).ShouldBeNull();
        Should.Throw<ArgumentException>(() => RefreshPhases.Select([name])).Message.ShouldContain("pre-configure, configure");
    }

    [Theory]
    [InlineData("/etc/orc", null, false, false, "/etc/orc", false)]
    [InlineData("/etc/orc", "/env", true, true, "/etc/orc", false)]
    [InlineData(null, "/env", true, false, "/env", false)]
    [InlineData(null, "", true, false, "", false)]
    [InlineData(null, null, false, false, BaseDirectory.Default, false)]
    [InlineData(null, null, true, true, BaseDirectory.Default, false)]
    [InlineData(null, null, true, false, BaseDirectory.Legacy, true)]
    [InlineData(null, null, false, true, BaseDirectory.Default, false)]
    public void The_base_directory_is_the_option_then_the_variable_then_the_default_unless_only_the_legacy_one_exists(
        string? option, string? environment, bool legacyExists, bool defaultExists, string expected, bool deprecated)
    {
        var (path, warn) = BaseDirectory.Resolve(option, environment, dir =>
            dir == BaseDirectory.Legacy ? legacyExists : dir == BaseDirectory.Default && defaultExists);

        path.ShouldBe(expected);
        warn.ShouldBe(deprecated);
    }
}
