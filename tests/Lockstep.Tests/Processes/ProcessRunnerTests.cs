using Lockstep.Processes;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.Processes;

/// <summary>The runner against real scripts: statuses, environment, timeouts.</summary>
public sealed class ProcessRunnerTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private static ProcessOutcome Run(string path, ProcessEnvironment? environment = null, TimeSpan? timeout = null) =>
        ProcessRunner.Instance.Run(new ProcessSpec(path, [], environment ?? ProcessEnvironment.FromPairs([]), timeout, TimeSpan.FromMilliseconds(300)));

    [Fact]
    public void The_exit_status_is_reported_as_is()
    {
        var outcome = Run(_temp.Script("s", "exit 42"));

        outcome.ShouldBe(new ProcessOutcome(ProcessEnd.Exited, 42));
        outcome.ShellStatus.ShouldBe(42);
    }

    [Fact]
    public void The_child_gets_exactly_the_given_environment()
    {
        string output = _temp["out"];
        var environment = ProcessEnvironment.FromPairs([new("ONLY", "this"), new("PATH", "/usr/bin:/bin")]).With(("EXTRA", "x"), ("ONLY", "that"));

        Run(_temp.Script("s", $"env | sort > '{output}'"), environment).Succeeded.ShouldBeTrue();

        File.ReadAllLines(output).Where(l => !l.StartsWith("PWD=", StringComparison.Ordinal)).ShouldBe(["EXTRA=x", "ONLY=that", "PATH=/usr/bin:/bin"]);
    }

    [Fact]
    public void A_timeout_kills_the_group_and_reports_124()
    {
        var outcome = Run(_temp.Script("s", "sleep 30"), timeout: TimeSpan.FromMilliseconds(200));

        outcome.End.ShouldBe(ProcessEnd.TimedOut);
        outcome.ShellStatus.ShouldBe(124);
    }

    [Fact]
    public void A_missing_program_is_127_and_a_missing_interpreter_126()
    {
        Run(_temp["absent"]).ShellStatus.ShouldBe(127);
        Run(_temp.Script("s", "", interpreter: "#!/nowhere/sh")).ShouldBe(new ProcessOutcome(ProcessEnd.InterpreterMissing, 2));
    }
}
