using Lockstep.Tests.Support;

namespace Lockstep.Tests.Packaging;

/// <summary>The .deb installed into a fresh Debian root: it works from the installed paths and goes away cleanly.</summary>
public sealed class PackageInstallTests
{
    private static readonly string[] Units = ["lockstep-update.service", "lockstep-update.timer", "lockstep-update-after-reboot.service", "lockstep-serve.service"];

    [Fact]
    public void Installs_runs_the_example_from_the_installed_paths_and_is_removed_then_purged_cleanly()
    {
        using var root = new FreshRoot();
        root.InstallLockstep();

        root.Ok("lockstep --version").Trim().ShouldBe(PackageArtifacts.Version);
        root.Ok("dpkg-query -W -f '${Version}' lockstep").ShouldBe(PackageArtifacts.Version);
        root.Ok("readlink -f /usr/lib/lockstep/compat/dib-run-parts").Trim().ShouldBe("/usr/bin/lockstep");

        // The bundled example, run by the installed binary and by its drop-in name.
        CopyInto(Path.Combine(LockstepCli.RepositoryRoot(), "examples", "refresh"), root["srv/example"]);
        root.Ok("chmod -R go-w /srv/example");
        var refresh = root.Sh("EXAMPLE_ROOT=/tmp/webapp lockstep refresh --base-dir /srv/example --lockfile /tmp/refresh.lock --state-dir /tmp/state");
        refresh.ExitCode.ShouldBe(0, refresh.ToString());
        refresh.Stderr.ShouldContain("Completed phase migration");
        root.Ok("lockstep history --state-dir /tmp/state --last 1").ShouldContain("succeeded");
        root.Ok("/usr/lib/lockstep/compat/dib-run-parts --list /srv/example/configure.d")
            .ShouldBe("/srv/example/configure.d/10-write-config\n/srv/example/configure.d/20-validate\n");

        // The configuration: a 0600 conffile, five empty script directories beside it.
        root.Ok("stat -c '%a %U' /etc/lockstep/update.ini").Trim().ShouldBe("600 root");
        root.Ok("dpkg-query -W -f '${Conffiles}' lockstep").ShouldContain("/etc/lockstep/update.ini");
        root.Ok("ls /etc/lockstep").Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe(
            ["needs_reboot.d", "needs_update.d", "post_update.d", "pre_update.d", "update.d", "update.ini"]);
        root.Ok("find /etc/lockstep -mindepth 2 | wc -l").Trim().ShouldBe("0");
        // The template alone is no configuration: update names what is missing (exit 3).
        var unconfigured = root.Sh("lockstep update");
        unconfigured.ExitCode.ShouldBe(3, unconfigured.ToString());
        unconfigured.Stderr.ShouldContain("lock_name");

        // The units start the installed binary; systemd finds nothing to object to.
        // (systemd-analyze would look for their Documentation= pages with this machine's man, not the root's.)
        foreach (string unit in Units)
        {
            string text = File.ReadAllText(root[$"usr/lib/systemd/system/{unit}"]);
            text.ShouldNotContain("/usr/local/");
            text.ShouldContain($"Documentation=man:{(unit.StartsWith("lockstep-serve", StringComparison.Ordinal) ? "lockstep-serve" : "lockstep-update")}(8)");
        }

        File.Exists(root["usr/share/man/man8/lockstep-update.8.gz"]).ShouldBeTrue();
        File.Exists(root["usr/share/man/man8/lockstep-serve.8.gz"]).ShouldBeTrue();
        var verify = PackageArtifacts.Run(
            "/usr/bin/systemd-analyze", null, ["verify", "--man=no", $"--root={root.Path}", .. Units.Select(u => $"/usr/lib/systemd/system/{u}")]);
        verify.ExitCode.ShouldBe(0, verify.ToString());
        verify.Stderr.ShouldBeEmpty(verify.ToString());

        root.Ok("dpkg -r lockstep");
        root.Sh("command -v lockstep").ExitCode.ShouldNotBe(0);
        Directory.Exists(root["usr/lib/lockstep"]).ShouldBeFalse();
        File.Exists(root["etc/lockstep/update.ini"]).ShouldBeTrue("remove keeps the conffile");
        root.Ok("dpkg -P lockstep");
        Directory.Exists(root["etc/lockstep"]).ShouldBeFalse();
        root.Ok("dpkg-query -W -f '${db:Status-Status}' lockstep 2>/dev/null || true").ShouldNotBe("installed");
        root.Ok("find / -xdev -name '*lockstep*' -not -path '/tmp/*' -not -path '/proc/*'").ShouldBeEmpty();
    }

    internal static void CopyInto(string source, string target)
    {
        var copy = PackageArtifacts.Run("/bin/cp", null, "-a", source, target);
        copy.ExitCode.ShouldBe(0, copy.ToString());
    }
}
