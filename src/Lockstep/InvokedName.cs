using Lockstep.Processes;

namespace Lockstep.Cli;

/// <summary>The name the binary was started by, so symlinks named after the tools it replaces act as them.</summary>
internal static class InvokedName
{
    /// <summary>argv[0] as the kernel got it; .NET's own view of it is the resolved path or the dll.</summary>
    public static string Read() =>
        StartupBytes.CommandLine() is [var argv0, ..] ? Path.GetFileName(OsText.Decode(argv0)) : "lockstep";
}
