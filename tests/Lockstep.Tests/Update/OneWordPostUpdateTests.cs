using Lockstep.Tests.Support;
using Lockstep.Update;

namespace Lockstep.Tests.Update;

public sealed class OneWordPostUpdateTests : IDisposable
{
    private static readonly DateTimeOffset Boot = DateTimeOffset.FromUnixTimeSeconds(1_741_942_800);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(-3600, false)]
    [InlineData(-0.001, false)]
    [InlineData(0, true)]
    [InlineData(0.5, true)]
    [InlineData(86_400, true)]
    public void A_file_written_since_the_boot_started_belongs_to_this_boot(double secondsAfterBoot, bool sinceBoot) =>
        OneWordPostUpdate.WrittenSinceBoot(Boot.AddSeconds(secondsAfterBoot), Boot).ShouldBe(sinceBoot);

    [Fact]
    public void The_boot_time_is_the_btime_line_of_proc_stat()
    {
        string stat = "cpu  1 2 3 4\ncpu0 1 2 3 4\nintr 5 6\nctxt 77\nbtime 1741942800\nprocesses 9\n";

        BootTime.Parse(stat).ShouldBe(Boot);
        BootTime.Read(_dir.File("stat", stat)).ShouldBe(Boot);
    }

    [Fact]
    public void The_real_boot_time_is_in_the_past() =>
        BootTime.Read("/proc/stat").ShouldBeLessThan(DateTimeOffset.UtcNow);

    [Theory]
    [InlineData("cpu 1 2 3\n", "has no 'btime SECONDS' line")]
    [InlineData("btime soon\n", "has no 'btime SECONDS' line")]
    [InlineData(null, "cannot be read")]
    public void A_boot_time_file_without_btime_stops_the_run_naming_the_setting(string? text, string problem)
    {
        string path = text is null ? _dir["absent"] : _dir.File("stat", text);

        var error = Should.Throw<UpdateException>(() => BootTime.Read(path));

        error.ExitCode.ShouldBe(UpdateExitCodes.BadInput);
        error.Message.ShouldStartWith($"boot time file {path} ([main] boot_time_file) {problem}");
        error.Message.ShouldEndWith("point the setting at /proc/stat");
    }
}
