using Lockstep.Logging;
using Lockstep.Processes;
using Lockstep.Tests.Support;
using Lockstep.Update;

namespace Lockstep.Tests.Update;

/// <summary>
/// The moment between a 412 and the GET that explains it: another host can let go of the lock right
/// then, and the GET shows a free lock, just as it does for a host that may not take locks. Run
/// in-process so the release falls exactly there: the log line of the 412 triggers it.
/// </summary>
public sealed class UpdateOverForemanRaceTests : IDisposable
{
    private readonly ForemanUpdateHost _host = new();
    private readonly RecordingLog _lines = new();
    private readonly StopSignal _stop = new();

    public void Dispose()
    {
        _host.Dispose();
        _stop.Dispose();
    }

    [Fact]
    public async Task A_holder_letting_go_between_the_412_and_the_get_is_not_taken_for_a_refusal()
    {
        _host.Server.SetHolder(ForemanUpdateHost.LockName, ForemanUpdateHost.Other);
        var releaseAfterThe412 = new OnLine(_lines, line => line.StartsWith("PUT ", StringComparison.Ordinal) && line.EndsWith(": 412 application/json", StringComparison.Ordinal),
            () => _host.Server.SetHolder(ForemanUpdateHost.LockName, null));

        int status = await Updater.RunAsync(
            new UpdateInvocation(_host.Config, new UpdateRequest(false, false), releaseAfterThe412, ProcessEnvironment.FromCurrentProcess(), _stop),
            CancellationToken.None);

        string said = string.Join('\n', _lines.Lines.Select(l => $"{l.Level} {l.Message}"));
        status.ShouldBe(UpdateExitCodes.Done, said);
        releaseAfterThe412.Fired.ShouldBeTrue(said);
        _host.Calls.ShouldBe(["PUT", "GET", "PUT", "DELETE"], said);
        _host.Steps.ShouldBe(["needs_update", "pre_update", "update", "needs_reboot", "post_update"]);
        _host.Holder.ShouldBeNull();
    }

    /// <summary>Records every line, and runs an action once, right when the first line matching a condition is written.</summary>
    private sealed class OnLine(ILog inner, Func<string, bool> condition, Action action) : ILog
    {
        public bool Fired { get; private set; }

        public bool IsEnabled(LogLevel level) => true;

        public void Write(LogLevel level, string message)
        {
            inner.Write(level, message);
            if (!Fired && condition(message))
            {
                Fired = true;
                action();
            }
        }
    }
}
