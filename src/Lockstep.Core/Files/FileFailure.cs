namespace Lockstep.Files;

/// <summary>
/// Why a file operation failed, in a few words for a one-line message that already names the file:
/// .NET's own messages repeat the path, end in a period, and call a directory "access denied".
/// </summary>
public static class FileFailure
{
    /// <summary>The reason <paramref name="failure"/> gives for <paramref name="path"/>, e.g. "it does not exist" or "No space left on device".</summary>
    public static string Reason(Exception failure, string path)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure switch
        {
            FileNotFoundException => "it does not exist",
            DirectoryNotFoundException => "its directory does not exist",
            UnauthorizedAccessException when Processes.FileStat.TryStat(path, out var stat) == 0 && stat.IsDirectory => "it is a directory",
            UnauthorizedAccessException => "permission denied",
            _ => Message(failure),
        };
    }

    /// <summary>The exception's message on one line, without the " : 'PATH'" that .NET appends to a system error, nor the final period.</summary>
    public static string Message(Exception failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        string message = failure.Message.ReplaceLineEndings(" ").Trim();
        int quoted = message.LastIndexOf(" : '", StringComparison.Ordinal);
        if (quoted > 0 && message.EndsWith('\''))
        {
            message = message[..quoted];
        }

        return message.TrimEnd('.');
    }
}
