using System.CommandLine;
using System.Text;
using Lockstep.Logging;
using Lockstep.Processes;

namespace Lockstep.Cli;

/// <summary>
/// What every command acts through, built once per run: the environment as the process started
/// with it, the clock, the process runner, the operator's stop, stdout, and the set-up a command
/// does before it runs scripts (signal forwarding, subreaper). Commands parse their options and
/// hand these to Lockstep.Core; nothing else in the CLI reaches for process-wide state.
/// </summary>
internal sealed class CommandHost
{
    private readonly Lazy<ProcessEnvironment> _environment = new(ProcessEnvironment.FromCurrentProcess);

    /// <summary>The environment Lockstep was started with: what scripts inherit and where LOCKSTEP_* settings are read.</summary>
    public ProcessEnvironment Environment => _environment.Value;

    public TimeProvider Clock { get; } = TimeProvider.System;

    public IProcessRunner Runner { get; } = ProcessRunner.Instance;

    /// <summary>Raised by INT, TERM or HUP once <see cref="PrepareToRunScripts"/> has run.</summary>
    public StopSignal Stop { get; } = SignalForwarder.Stop;

    /// <summary>A variable of <see cref="Environment"/>, or null when it is unset.</summary>
    public string? Variable(string name) => Environment.Get(name);

    /// <summary>
    /// Before the first script runs: INT, TERM and HUP are passed to the running script and stop the
    /// run, and Lockstep becomes the subreaper of what its scripts leave behind (so timeouts reach it).
    /// Returns the stop those signals raise.
    /// </summary>
    public StopSignal PrepareToRunScripts()
    {
        SignalForwarder.Install();
        ProcessTree.BecomeSubreaper();
        return Stop;
    }

    /// <summary>The stderr log at --log-level (or $LOCKSTEP_LOG_LEVEL), its lines prefixed by <paramref name="program"/>.</summary>
    /// <summary>Lockstep's lines on stderr; with priority prefixes and no timestamp when stderr is the journal (README, "The journal").</summary>
    public StreamLog Stderr(string program, LogLevel level) =>
        new(Console.OpenStandardError(), program, level, Clock, JournalStream.IsStderr(Variable(JournalStream.EnvironmentVariable)));

    public StreamLog Log(ParseResult result, Option<string> option, string program)
    {
        ArgumentNullException.ThrowIfNull(result);
        string? text = result.GetValue(option) ?? Variable(CliLog.EnvironmentVariable);
        _ = LogLevels.TryParse(text, out var level);
        return Stderr(program, level);
    }

    /// <summary>
    /// Writes <paramref name="text"/> to stdout as its bytes (<see cref="OsText"/>: a path that is not
    /// UTF-8 comes out as the kernel has it, as dib-run-parts --list prints it), unbuffered by
    /// Console's encoder; returns 0.
    /// </summary>
    public static int Print(string text)
    {
        using var stdout = Console.OpenStandardOutput();
        stdout.Write(OsText.Encode(text));
        return 0;
    }
}

/// <summary>A command that wants to hear of a command line refused for its arguments (refresh records it in its history).</summary>
/// <param name="onUsageError">Called with the parse result and the one-line error before Lockstep exits 2.</param>
internal sealed class HostedCommand(string name, string description, Action<ParseResult, string> onUsageError) : Command(name, description)
{
    public Action<ParseResult, string> OnUsageError { get; } = onUsageError;
}
