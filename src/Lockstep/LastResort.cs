using Lockstep.Processes;

namespace Lockstep.Cli;

/// <summary>
/// What is left when a command lets an exception escape: a bug, since every failure Lockstep
/// expects is reported by the command itself. The user gets one line and a documented status, not
/// a stack trace and an abort.
/// </summary>
internal static class LastResort
{
    /// <summary>EX_SOFTWARE of sysexits.h: an internal software error.</summary>
    public const int InternalError = 70;

    public static int Report(string command, Exception failure, StopSignal stop)
    {
        // A wait cut short by INT, TERM or HUP is how a stop ends, not a bug: exit as the signal asks.
        if (failure is OperationCanceledException && stop.Received is > 0 and int signal)
        {
            return 128 + signal;
        }

        if (failure is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            failure = aggregate.InnerExceptions[0];
        }

        string message = failure.Message.Split('\n')[0].Trim().TrimEnd('.');
        CliLog.ErrorLine($"{command}: internal error: {failure.GetType().Name}: {message}; please report this");
        return InternalError;
    }
}
