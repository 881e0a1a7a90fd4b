using Lockstep.Tests.Support;

namespace Lockstep.Tests.Packaging;

/// <summary>
/// A fresh Debian root unpacked into a temporary directory. Commands run in it as on a host of
/// its own: chroot'ed, in their own mount and pid namespaces with /proc mounted there (so nothing
/// is left mounted on this machine), with a plain root environment.
/// </summary>
public sealed class FreshRoot : IDisposable
{
    public FreshRoot()
    {
        RemoveLeftovers();
        Path = Directory.CreateDirectory(System.IO.Path.Combine(Parent, $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid():N}")).FullName;
        var unpack = PackageArtifacts.Run("/usr/bin/tar", null, "--numeric-owner", "-xpf", PackageArtifacts.FreshRootTarball, "-C", Path);
        unpack.ExitCode.ShouldBe(0, unpack.ToString());
    }

    private const string Prefix = "lockstep-fresh-root-";

    // On tmpfs where there is one: unpacking a root is mostly writes nobody needs on disk.
    private static readonly string Parent = Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();

    public string Path { get; }

    /// <summary>A path inside the root, seen from this machine.</summary>
    public string this[string inside] => System.IO.Path.Combine(Path, inside.TrimStart('/'));

    /// <summary>Runs a shell command line inside the root.</summary>
    public CliResult Sh(string commandLine) =>
        PackageArtifacts.Run(
            "/usr/bin/unshare",
            new Dictionary<string, string?>
            {
                ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                ["HOME"] = "/root",
                ["LC_ALL"] = "C",
                ["LANG"] = null,
                ["TMPDIR"] = null,
                ["DOTNET_ROOT"] = null,
            },
            "--mount", "--pid", "--fork", $"--mount-proc={this["proc"]}", "/usr/sbin/chroot", Path, "/bin/sh", "-c", commandLine);

    /// <summary>Runs a command line that must succeed; returns its stdout.</summary>
    public string Ok(string commandLine)
    {
        var result = Sh(commandLine);
        result.ExitCode.ShouldBe(0, $"{commandLine}\n{result}");
        return result.Stdout;
    }

    /// <summary>Copies the .deb under test into the root and installs it with dpkg, as an admin would.</summary>
    public void InstallLockstep()
    {
        File.Copy(PackageArtifacts.Deb, this["tmp/lockstep.deb"], overwrite: true);
        Ok("dpkg -i /tmp/lockstep.deb");
    }

    public void Dispose() => Support.Servers.ServerRuns.Remove(Path);

    /// <summary>Roots of test processes that died before disposing them (a quarter of a GiB each, in memory).</summary>
    private static void RemoveLeftovers()
    {
        foreach (string dir in Directory.GetDirectories(Parent, Prefix + "*"))
        {
            string owner = System.IO.Path.GetFileName(dir)[Prefix.Length..].Split('-')[0];
            if (int.TryParse(owner, System.Globalization.CultureInfo.InvariantCulture, out int pid) && !ProcessProbe.IsAlive(pid))
            {
                Support.Servers.ServerRuns.Remove(dir);
            }
        }
    }
}
