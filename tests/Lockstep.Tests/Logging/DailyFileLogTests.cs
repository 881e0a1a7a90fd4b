using Lockstep.Logging;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.Logging;

public sealed class DailyFileLogTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly FakeClock _clock = new(new DateTimeOffset(2025, 3, 14, 23, 59, 0, TimeSpan.Zero));

    public void Dispose() => _dir.Dispose();

    private string LogPath => _dir["log/update.log"];

    [Fact]
    public void A_log_on_a_full_disk_loses_lines_but_never_throws()
    {
        // /dev/full answers every write with ENOSPC, as a full log volume does.
        var log = new DailyFileLog("/dev/full", 7, LogLevel.Info, _clock, "update");
        Should.NotThrow(() =>
        {
            log.Info("lost");
            log.Dispose();
        });
    }

    [Fact]
    public void Lines_go_to_a_private_file_at_the_configured_level()
    {
        using (var log = new DailyFileLog(LogPath, 7, LogLevel.Info, _clock, "update"))
        {
            log.Debug("not shown");
            log.Info("first");
            log.Error("second");
        }

        File.ReadAllText(LogPath).ShouldBe("2025-03-14 23:59:00.000 update INFO: first\n2025-03-14 23:59:00.000 update ERROR: second\n");
        File.GetUnixFileMode(LogPath).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.GetUnixFileMode(_dir["log"]).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    [Fact]
    public void The_file_rotates_at_the_first_line_of_a_new_day_keeping_retention_days()
    {
        using (var log = new DailyFileLog(LogPath, 2, LogLevel.Info, _clock, "update"))
        {
            log.Info("day 14");
            for (int day = 15; day <= 18; day++)
            {
                _clock.Advance(TimeSpan.FromDays(1));
                log.Info($"day {day}");
            }
        }

        Directory.GetFiles(_dir["log"]).Select(Path.GetFileName).Order(StringComparer.Ordinal)
            .ShouldBe(["update.log", "update.log.2025-03-16", "update.log.2025-03-17"]);
        File.ReadAllText(LogPath).ShouldContain("day 18");
        File.ReadAllText(_dir["log/update.log.2025-03-17"]).ShouldContain("day 17");
    }

    [Fact]
    public void A_file_left_from_an_earlier_day_is_rotated_when_opened()
    {
        Directory.CreateDirectory(_dir["log"]);
        File.WriteAllText(LogPath, "old line\n");
        File.SetLastWriteTimeUtc(LogPath, new DateTime(2025, 3, 10, 12, 0, 0, DateTimeKind.Utc));

        using (var log = new DailyFileLog(LogPath, 7, LogLevel.Info, _clock, "update"))
        {
            log.Info("new line");
        }

        File.ReadAllText(_dir["log/update.log.2025-03-10"]).ShouldBe("old line\n");
        File.ReadAllText(LogPath).ShouldNotContain("old line");
    }

    [Fact]
    public void Retention_zero_keeps_no_old_files()
    {
        using (var log = new DailyFileLog(LogPath, 0, LogLevel.Info, _clock, "update"))
        {
            log.Info("day 14");
            _clock.Advance(TimeSpan.FromDays(1));
            log.Info("day 15");
        }

        Directory.GetFiles(_dir["log"]).ShouldBe([LogPath]);
    }
}
