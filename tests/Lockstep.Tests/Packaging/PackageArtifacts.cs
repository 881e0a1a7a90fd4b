using System.Text.RegularExpressions;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.Packaging;

/// <summary>
/// The .deb under test and the fresh Debian root it is installed into: as tools/test made them
/// ($LOCKSTEP_DEB, $LOCKSTEP_FRESH_ROOT), else built here once by the same tools.
/// </summary>
public static partial class PackageArtifacts
{
    private static readonly Lazy<string> DebPath = new(() => FromTool("LOCKSTEP_DEB", "package"));
    private static readonly Lazy<string> RootTarball = new(() => FromTool("LOCKSTEP_FRESH_ROOT", "fresh-root"));

    /// <summary>artifacts/lockstep_VERSION_amd64.deb.</summary>
    public static string Deb => DebPath.Value;

    /// <summary>A tarball of a debootstrap minbase root with systemd and Debian's python3-dib-utils and python3-os-refresh-config.</summary>
    public static string FreshRootTarball => RootTarball.Value;

    /// <summary>The one version source: &lt;Version&gt; in Directory.Build.props.</summary>
    public static string Version { get; } = VersionElement().Match(
        File.ReadAllText(Path.Combine(LockstepCli.RepositoryRoot(), "Directory.Build.props"))).Groups[1].Value;

    /// <summary>Runs a program to its end, with the given environment added (null removes a variable).</summary>
    public static CliResult Run(string program, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var options = new CliOptions { Executable = program, Timeout = TimeSpan.FromMinutes(5) };
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            options.Environment[key] = value;
        }

        return LockstepCli.RunWith(options, args);
    }

    private static string FromTool(string variable, string tool)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } given)
        {
            return given;
        }

        var result = Run(Path.Combine(LockstepCli.RepositoryRoot(), "tools", tool), null);
        result.ExitCode.ShouldBe(0, $"tools/{tool} failed: {result}");
        return result.Stdout.Trim().Split('\n')[^1];
    }

    [GeneratedRegex("<Version>([^<]+)</Version>")]
    private static partial Regex VersionElement();
}
