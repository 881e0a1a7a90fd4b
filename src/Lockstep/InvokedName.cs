namespace Lockstep.Cli;

/// <summary>The name the binary was started by, so symlinks named after the tools it replaces act as them.</summary>
internal static class InvokedName
{
    public static string Read()
    {
        try
        {
            // argv[0] as the kernel got it; .NET's own view of it is the resolved path or the dll.
            var cmdline = File.ReadAllBytes("/proc/self/cmdline");
            int end = Array.IndexOf(cmdline, (byte)0);
            string argv0 = System.Text.Encoding.UTF8.GetString(cmdline, 0, end < 0 ? cmdline.Length : end);
            return Path.GetFileName(argv0);
        }
        catch (IOException)
        {
            return "lockstep";
        }
        catch (UnauthorizedAccessException)
        {
            return "lockstep";
        }
    }
}
