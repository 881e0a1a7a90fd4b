namespace Lockstep.Tests.Packaging;

/// <summary>
/// The apt update scripts shipped under /usr/share/doc/lockstep/examples/apt, installed as the
/// README says into a fresh root and run by `lockstep update` against a local apt repository that
/// holds a newer version of an installed package whose maintainer script asks for a reboot.
/// </summary>
public sealed class AptExampleTests
{
    private const string Package = "lockstep-test-dummy";

    [Fact]
    public void Update_finds_the_upgrade_installs_it_reboots_and_finishes_after_the_reboot()
    {
        using var root = HostWithUpgradeAvailable();

        var update = root.Sh("lockstep update");
        update.ExitCode.ShouldBe(5, update.ToString());
        update.Stdout.ShouldContain("needs_update: 1 upgrade(s):");
        update.Stdout.ShouldContain($"Inst {Package} [1.0] (2.0");
        update.Stdout.ShouldContain("pre_update: nothing to drain");
        update.Stdout.ShouldContain($"needs_reboot: asked for by: {Package}");
        root.Ok($"dpkg-query -W -f '${{Version}}' {Package}").ShouldBe("2.0");
        File.ReadAllText(root["var/tmp/reboots"]).ShouldBe("reboot\n");

        // The reboot: /run is empty again.
        root.Ok("rm -f /run/reboot-required /run/reboot-required.pkgs");
        var after = root.Sh("lockstep update --assume-rebooted");
        after.ExitCode.ShouldBe(0, after.ToString());
        after.Stdout.ShouldContain("post_update: systemd is not running; no units to check");

        var again = root.Sh("lockstep update");
        again.ExitCode.ShouldBe(0, again.ToString());
        again.Stdout.ShouldContain("needs_update: no upgrades");
        File.ReadAllText(root["var/tmp/reboots"]).ShouldBe("reboot\n");
    }

    [Fact]
    public void A_held_package_is_no_update_and_is_left_as_it_is()
    {
        using var root = HostWithUpgradeAvailable();
        root.Ok($"apt-mark hold {Package}");

        var update = root.Sh("lockstep update");
        update.ExitCode.ShouldBe(0, update.ToString());
        update.Stdout.ShouldContain("needs_update: no upgrades");
        root.Ok($"dpkg-query -W -f '${{Version}}' {Package}").ShouldBe("1.0");
        File.Exists(root["var/tmp/reboots"]).ShouldBeFalse();

        // update.d itself respects the hold too, when run by hand.
        root.Ok("/usr/share/doc/lockstep/examples/apt/update.d/10-apt-upgrade");
        root.Ok($"dpkg-query -W -f '${{Version}}' {Package}").ShouldBe("1.0");
    }

    [Fact]
    public void Update_waits_for_dpkg_s_lock_held_by_another_package_manager_then_upgrades()
    {
        using var root = HostWithUpgradeAvailable();
        root.Ok("apt-get -q update");

        // Another package manager (here: a process holding dpkg's frontend lock as apt does) for 3 s.
        var update = root.Sh("""
            python3 -c 'import fcntl, time; f = open("/var/lib/dpkg/lock-frontend", "w"); fcntl.lockf(f, fcntl.LOCK_EX); open("/tmp/locked", "w").close(); time.sleep(3)' &
            while [ ! -e /tmp/locked ]; do sleep 0.05; done
            /usr/share/doc/lockstep/examples/apt/update.d/10-apt-upgrade
            """);
        update.ExitCode.ShouldBe(0, update.ToString());
        (update.Stdout + update.Stderr).ShouldContain("Waiting for cache lock");
        root.Ok($"dpkg-query -W -f '${{Version}}' {Package}").ShouldBe("2.0");
    }

    [Fact]
    public void Needs_reboot_and_post_update_answer_by_what_the_host_shows()
    {
        using var root = new FreshRoot();
        root.InstallLockstep();
        const string examples = "/usr/share/doc/lockstep/examples/apt";

        root.Ok($"{examples}/needs_reboot.d/10-reboot-required").ShouldBe("needs_reboot: no reboot required\n");
        root.Ok("touch /run/reboot-required");
        root.Sh($"{examples}/needs_reboot.d/10-reboot-required").ExitCode.ShouldBe(1);

        // A host whose mirror is unreachable skips the round rather than take the lock.
        root.Ok("echo 'deb [trusted=yes] file:/nonexistent ./' > /etc/apt/sources.list && rm -f /etc/apt/sources.list.d/*");
        var offline = root.Sh($"{examples}/needs_update.d/10-apt-upgrades");
        offline.ExitCode.ShouldBe(0, offline.ToString());
        offline.Stderr.ShouldContain("needs_update: apt-get update failed; no update this time");
    }

    /// <summary>A fresh root with lockstep, the apt examples in /etc/lockstep, a local lock, and version 1.0 of a package whose 2.0 waits in a local repository.</summary>
    private static FreshRoot HostWithUpgradeAvailable()
    {
        var root = new FreshRoot();
        root.InstallLockstep();
        Directory.CreateDirectory(root["srv/repo"]);
        BuildPackage(root, "1.0", root["tmp/dummy-1.deb"]);
        BuildPackage(root, "2.0", root["srv/repo/dummy-2.deb"]);
        var index = PackageArtifacts.Run("/bin/sh", null, "-c", $"cd {root["srv/repo"]} && dpkg-scanpackages . > Packages");
        index.ExitCode.ShouldBe(0, index.ToString());
        root.Ok("dpkg -i /tmp/dummy-1.deb");
        root.Ok("rm -f /etc/apt/sources.list.d/* && echo 'deb [trusted=yes] file:/srv/repo ./' > /etc/apt/sources.list");

        root.Ok("""
            for step in needs_update pre_update update needs_reboot post_update; do
                cp /usr/share/doc/lockstep/examples/apt/$step.d/* /etc/lockstep/$step.d/
            done
            printf '#!/bin/sh\necho reboot >> /var/tmp/reboots\n' > /usr/local/sbin/pretend-reboot
            chmod 755 /usr/local/sbin/pretend-reboot
            cat > /etc/lockstep/update.ini <<EOF
            [main]
            backend = local
            lock_name = fleet
            reboot_cmd = /usr/local/sbin/pretend-reboot
            EOF
            """);
        return root;
    }

    /// <summary>A package whose postinst asks for a reboot as Debian's kernel packages do.</summary>
    private static void BuildPackage(FreshRoot root, string version, string deb)
    {
        string dir = root[$"tmp/build-{version}"];
        Directory.CreateDirectory(Path.Combine(dir, "DEBIAN"));
        File.WriteAllText(Path.Combine(dir, "DEBIAN", "control"), $"""
            Package: {Package}
            Version: {version}
            Architecture: all
            Maintainer: Lockstep tests <tests@example.org>
            Description: a package for Lockstep's apt example tests

            """);
        string postinst = Path.Combine(dir, "DEBIAN", "postinst");
        File.WriteAllText(postinst, $"#!/bin/sh\nset -e\ntouch /run/reboot-required\necho {Package} >> /run/reboot-required.pkgs\n");
        File.SetUnixFileMode(postinst, (UnixFileMode)0b111_101_101);
        var build = PackageArtifacts.Run("/usr/bin/dpkg-deb", null, "--root-owner-group", "--build", dir, deb);
        build.ExitCode.ShouldBe(0, build.ToString());
    }
}
