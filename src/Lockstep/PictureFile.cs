using Lockstep.Files;

namespace Lockstep.Cli;

/// <summary>Writes an HTML picture (<c>--html FILE</c>) atomically, mode 0644; a file that cannot be written is one line and exit 2.</summary>
internal static class PictureFile
{
    public const int CannotWrite = 2;

    public static int Write(string program, string path, string html)
    {
        try
        {
            Pictures.HtmlPage.Write(path, html);
            Console.Error.WriteLine($"{program}: wrote {Lockstep.Files.PathWalk.FullPath(path)}");
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return CliLog.Fail(program, $"--html {path} cannot be written ({FileFailure.Reason(e, path)}); give a file in a directory you can write", CannotWrite);
        }
    }
}
