using Lockstep.History;

namespace Lockstep.Tests.History;

public sealed class ProcessIdentityTests
{
    [Theory]
    [InlineData("1234 (sh) S 1 1234 1234 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 98765 2203648 130 18446744073709551615", 98765L)]
    [InlineData("1234 (a b) c) (d) R 1 1234 1234 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 42 2203648 130", 42L)]
    [InlineData("1234 (short) S 1 2 3", null)]
    [InlineData("garbage", null)]
    public void The_start_time_is_field_22_even_when_the_command_name_has_spaces_and_parentheses(string stat, long? ticks) =>
        ProcessIdentity.ParseStartTicks(stat).ShouldBe(ticks);

    [Fact]
    public void This_process_is_alive()
    {
        var me = ProcessIdentity.Current();

        me.StartTicks.ShouldBeGreaterThan(0);
        me.BootId.ShouldNotBeNullOrEmpty();
        me.IsAlive().ShouldBeTrue();
    }

    [Fact]
    public void A_reused_pid_with_another_start_time_is_not_the_same_process()
    {
        var me = ProcessIdentity.Current();

        new ProcessIdentity { Pid = me.Pid, BootId = me.BootId, StartTicks = me.StartTicks + 1 }.IsAlive().ShouldBeFalse();
        new ProcessIdentity { Pid = me.Pid, BootId = "another-boot", StartTicks = me.StartTicks }.IsAlive().ShouldBeFalse();
        new ProcessIdentity { Pid = int.MaxValue - 1, StartTicks = 1 }.IsAlive().ShouldBeFalse();
    }
}
