using System.CommandLine;
using Lockstep.Refresh;

namespace Lockstep.Cli;

/// <summary>The shared --state-dir option: Lockstep's state root, whose runs/ holds the run records.</summary>
internal static class StateDirectory
{
    public static Option<string> CreateOption() => new("--state-dir")
    {
        Description = "Lockstep's state directory; run records are kept in its runs/",
        HelpName = "DIR",
        DefaultValueFactory = _ => RefreshOptions.DefaultStateDirectory,
    };
}
