using System.CommandLine;
using Lockstep.Logging;

namespace Lockstep.Cli;

/// <summary>The shared --log-level option and the stderr log built from it.</summary>
internal static class CliLog
{
    public const string EnvironmentVariable = "LOCKSTEP_LOG_LEVEL";

    public static Option<string> CreateOption() => new("--log-level")
    {
        Description = $"Lowest level of Lockstep's own lines on stderr: {LogLevels.Names} (default INFO, or ${EnvironmentVariable})",
        HelpName = "LEVEL",
        Validators =
        {
            r =>
            {
                if (!LogLevels.TryParse(r.GetValueOrDefault<string>(), out _))
                {
                    r.AddError($"--log-level takes one of {LogLevels.Names}");
                }
            },
        },
    };

    /// <summary>Writes one error line to stderr and returns the status, for failures outside any log.</summary>
    public static int Fail(string program, string message, int status)
    {
        ErrorLine($"{program}: {Printable.Escape(message)}");
        return status;
    }

    /// <summary>One error line on stderr outside any log: with the journal's error priority when stderr is the journal.</summary>
    public static void ErrorLine(string line) =>
        Console.Error.WriteLine(JournalStream.IsStderr(Environment.GetEnvironmentVariable(JournalStream.EnvironmentVariable))
            ? $"<{JournalStream.Priority(LogLevel.Error)}>{Printable.Escape(line)}"
            : Printable.Escape(line));
}
