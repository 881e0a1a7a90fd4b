using Lockstep.Logging;
using Lockstep.Tests.Support;
using Lockstep.Tests.Update;

namespace Lockstep.Tests.Logging;

/// <summary>
/// Lines for the journal: a shell sets JOURNAL_STREAM to its stderr's device and inode, as systemd
/// does for a service, then becomes lockstep.
/// </summary>
public sealed class JournalOutputTests : IDisposable
{
    private readonly UpdateHost _host = new();

    public void Dispose() => _host.Dispose();

    private CliResult Update(string journalStream, params string[] args) => LockstepCli.RunWith(
        new CliOptions { Executable = "/bin/bash", Environment = { ["FAIL_IN"] = "update", ["STREAM"] = journalStream } },
        ["-c", """export JOURNAL_STREAM="${STREAM:-$(stat -L -c '%d:%i' /proc/self/fd/2)}"; exec "$0" "$@" """, LockstepCli.Binary, "update", "--config", _host.Config, .. args]);

    [Fact]
    public void On_the_journal_lines_carry_priorities_and_no_timestamp()
    {
        var result = Update("");

        result.ExitCode.ShouldBe(1, result.ToString());
        var ours = result.Stderr.Split('\n').Where(l => l.StartsWith('<')).ToList();
        ours.ShouldContain("<6>update INFO: updates available (10-needs-update exited 1)");
        ours.ShouldContain(l => l.StartsWith("<3>update ERROR: update failed (" + _host.Dir["update.d/10-update"] + " exited 3)"));
        ours.ShouldContain(l => l.StartsWith("<3>update ERROR: " + _host.Dir["update.d/10-update"] + " failed with exit status 3"));
        result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldAllBe(l => l.StartsWith('<'));
    }

    [Fact]
    public void Debug_and_warning_lines_have_their_own_priorities()
    {
        File.WriteAllText(_host.Config, File.ReadAllText(_host.Config).Replace("[main]\n", "[main]\ntypo_key = 1\n"));

        var result = Update("", "--log-level", "DEBUG");

        result.Stderr.ShouldContain("<4>update WARN: " + _host.Config + ":2: [main] typo_key: unknown setting, ignored (a typo?)");
        result.Stderr.ShouldContain("<7>update DEBUG: state: needs_update -> lock_get");
    }

    [Fact]
    public void A_journal_stream_that_is_not_stderr_leaves_the_lines_as_they_are()
    {
        var result = Update("1:1");

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stderr.ShouldNotContain("<3>");
        result.Stderr.ShouldMatch(@"(?m)^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} update ERROR: update failed");
    }

    [Fact]
    public void Bad_arguments_on_the_journal_are_errors()
    {
        var result = LockstepCli.RunWith(
            new CliOptions { Executable = "/bin/bash" },
            "-c", """export JOURNAL_STREAM="$(stat -L -c '%d:%i' /proc/self/fd/2)"; exec "$0" "$@" """, LockstepCli.Binary, "update", "--no-such-option");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldStartWith("<3>lockstep update: ");
    }

    [Theory]
    [InlineData("64769:1234", 64769UL, 1234UL, true)]
    [InlineData("64769:1234", 64769UL, 1235UL, false)]
    [InlineData("64769:1234", 1UL, 1234UL, false)]
    [InlineData("64769", 64769UL, 1234UL, false)]
    [InlineData("64769:1234:5", 64769UL, 1234UL, false)]
    [InlineData("-1:1234", 64769UL, 1234UL, false)]
    [InlineData("", 0UL, 0UL, false)]
    public void Journal_stream_must_name_exactly_the_device_and_inode(string value, ulong device, ulong inode, bool expected) =>
        JournalStream.Matches(value, device, inode).ShouldBe(expected);
}
