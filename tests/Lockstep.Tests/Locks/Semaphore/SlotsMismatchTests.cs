using Lockstep.Config;
using Lockstep.Locks.Semaphore;
using Lockstep.Logging;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.Locks.Semaphore;

public sealed class SlotsMismatchTests
{
    private const string Where = "etcd key K in etcd at http://127.0.0.1:2379/";

    [Theory]
    [InlineData(null, 2, null)]
    [InlineData("2", 2, null)]
    [InlineData("3", 2, "/etc/lockstep/update.ini:9: [etcd] slots = 3, but etcd key K in etcd at http://127.0.0.1:2379/ has total_slots 2: 2 is in force (slots is used only when a group is created); change the group with 'lockstep lock slots 3 --config /etc/lockstep/update.ini', or set slots = 2")]
    [InlineData("1", 5, "/etc/lockstep/update.ini:9: [etcd] slots = 1, but etcd key K in etcd at http://127.0.0.1:2379/ has total_slots 5: 5 is in force (slots is used only when a group is created); change the group with 'lockstep lock slots 1 --config /etc/lockstep/update.ini', or set slots = 5")]
    [InlineData("4", 0, "/etc/lockstep/update.ini:9: [etcd] slots = 4, but etcd key K in etcd at http://127.0.0.1:2379/ has total_slots 0: 0 is in force (slots is used only when a group is created); change the group with 'lockstep lock slots 4 --config /etc/lockstep/update.ini', or set slots = 0")]
    public void Only_a_written_setting_that_differs_from_the_stored_count_is_warned_about(string? configured, int stored, string? warning) =>
        SlotsMismatch.Warning(Setting(configured), stored, Where).ShouldBe(warning);

    [Fact]
    public void Each_group_is_warned_about_once_however_often_it_is_read()
    {
        var log = new RecordingLog();
        var mismatch = new SlotsMismatch(Setting("3"), log);

        for (int i = 0; i < 5; i++)
        {
            mismatch.Check("a", 2, Where);
            mismatch.Check("b", 1, Where);
            mismatch.Check("c", 3, Where);
        }

        log.At(LogLevel.Warn).Count().ShouldBe(2);
    }

    private static IniValue? Setting(string? text) => text is null ? null : new IniValue("/etc/lockstep/update.ini", "etcd", "slots", text, 9);
}
