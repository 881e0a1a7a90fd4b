using System.Text;
using Lockstep.Parts;

namespace Lockstep.Tests.Parts;

public sealed class EnvironmentFilesTests
{
    [Theory]
    [InlineData("10-foo", true)]
    [InlineData("foo.bash", true)]
    [InlineData(".dotted", true)]
    [InlineData("foo~", false)]
    [InlineData("with space", false)]
    public void Environment_file_names_allow_dots_but_not_backups(string name, bool accepted) =>
        EnvironmentFiles.IsEnvironmentName(name).ShouldBe(accepted);

    [Fact]
    public void The_loader_stream_gives_the_final_environment_after_the_end_marker()
    {
        var (current, environment) = EnvironmentFiles.Parse(Encoding.UTF8.GetBytes("F/a\0F/b\0E\0A=1\0B=x=y\0MULTI=line1\nline2\0"));

        current.ShouldBe("/b");
        environment.ShouldNotBeNull();
        environment.ShouldBe([new("A", "1"), new("B", "x=y"), new("MULTI", "line1\nline2")]);
    }

    [Fact]
    public void Without_the_end_marker_the_last_file_begun_is_the_one_that_failed()
    {
        var (current, environment) = EnvironmentFiles.Parse(Encoding.UTF8.GetBytes("F/a\0F/b\0"));

        current.ShouldBe("/b");
        environment.ShouldBeNull();
    }
}
