using Lockstep.Processes;

namespace Lockstep.Tests.Processes;

public sealed class StopSignalTests
{
    [Fact]
    public void A_new_stop_is_not_requested_and_its_token_not_cancelled()
    {
        using var stop = new StopSignal();

        stop.Requested.ShouldBeFalse();
        stop.Received.ShouldBe(0);
        stop.Token.IsCancellationRequested.ShouldBeFalse();
    }

    [Fact]
    public void The_first_signal_is_kept_and_cancels_the_token()
    {
        using var stop = new StopSignal();

        stop.Raise(LibC.SIGTERM);
        stop.Raise(LibC.SIGINT);

        stop.Requested.ShouldBeTrue();
        stop.Received.ShouldBe(LibC.SIGTERM);
        stop.Token.IsCancellationRequested.ShouldBeTrue();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-15)]
    public void Only_a_signal_number_can_be_raised(int signal)
    {
        using var stop = new StopSignal();

        Should.Throw<ArgumentOutOfRangeException>(() => stop.Raise(signal));
        stop.Requested.ShouldBeFalse();
    }
}
