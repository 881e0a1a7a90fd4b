namespace Lockstep.Tests.Packaging;

/// <summary>
/// lockstep-dropins switches a host from Debian's python3-dib-utils and python3-os-refresh-config
/// to Lockstep's drop-ins and back through dpkg's diversions; removing the package gives the
/// originals back untouched (dpkg --verify finds them as Debian shipped them).
/// </summary>
public sealed class DropInSwitchTests
{
    private const string Originals = "python3-dib-utils python3-os-refresh-config";

    [Fact]
    public void On_diverts_the_originals_to_lockstep_off_and_package_removal_restore_them()
    {
        using var root = new FreshRoot();
        root.Ok($"dpkg-query -W {Originals}");
        string originalRunParts = root.Ok("md5sum < /usr/bin/dib-run-parts");
        root.InstallLockstep();
        root.Ok("lockstep-dropins status").ShouldBe("dib-run-parts: original\nos-refresh-config: original\nregister-state-path: not installed\n");

        root.Ok("lockstep-dropins on");
        AssertLockstepDropIns(root);
        root.Ok("md5sum < /usr/bin/dib-run-parts.distrib").ShouldBe(originalRunParts);
        root.Ok("lockstep-dropins on --quiet").ShouldBeEmpty("a second 'on' changes nothing");
        AssertLockstepDropIns(root);

        root.Ok("lockstep-dropins off");
        AssertOriginals(root, originalRunParts);

        // Switched on again, then the package removed: the originals come back with it.
        root.Ok("lockstep-dropins on --quiet");
        AssertLockstepDropIns(root);
        root.Ok("dpkg -r lockstep");
        AssertOriginals(root, originalRunParts);
        root.Sh("command -v lockstep-dropins").ExitCode.ShouldNotBe(0);
    }

    [Fact]
    public void On_refuses_a_name_another_package_diverts_and_bad_arguments_exit_2()
    {
        using var root = new FreshRoot();
        root.InstallLockstep();
        root.Ok("dpkg-divert --package other --divert /usr/bin/os-refresh-config.other --rename --add /usr/bin/os-refresh-config");

        var refused = root.Sh("lockstep-dropins on");
        refused.ExitCode.ShouldBe(1, refused.ToString());
        refused.Stderr.Trim().ShouldBe("lockstep-dropins: /usr/bin/os-refresh-config is already diverted by other; remove that diversion first (dpkg-divert --list /usr/bin/os-refresh-config)");

        var usage = root.Sh("lockstep-dropins sideways");
        usage.ExitCode.ShouldBe(2);
        usage.Stderr.ShouldStartWith("usage: lockstep-dropins on|off|status");
    }

    private static void AssertLockstepDropIns(FreshRoot root)
    {
        root.Ok("lockstep-dropins status").ShouldBe("dib-run-parts: lockstep\nos-refresh-config: lockstep\nregister-state-path: lockstep\n");
        foreach (string name in new[] { "dib-run-parts", "os-refresh-config", "register-state-path" })
        {
            root.Ok($"readlink -f /usr/bin/{name}").Trim().ShouldBe("/usr/bin/lockstep");
        }

        // Through their PATH names the commands are Lockstep's.
        root.Ok("os-refresh-config --print-phases").ShouldBe("pre-configure\tconfigure\tpost-configure\tmigration\n");
        root.Ok("mkdir -p /srv/parts && printf '#!/bin/sh\\n' > /srv/parts/10-a && chmod 755 /srv/parts/10-a && dib-run-parts --list /srv/parts")
            .ShouldBe("/srv/parts/10-a\n");
        string diversions = root.Ok("dpkg-divert --list");
        diversions.ShouldContain("diversion of /usr/bin/dib-run-parts to /usr/bin/dib-run-parts.distrib by lockstep");
        diversions.ShouldContain("diversion of /usr/bin/os-refresh-config to /usr/bin/os-refresh-config.distrib by lockstep");
    }

    private static void AssertOriginals(FreshRoot root, string originalRunParts)
    {
        root.Ok("dpkg-divert --list").ShouldNotContain("by lockstep");
        root.Ok("md5sum < /usr/bin/dib-run-parts").ShouldBe(originalRunParts);
        root.Sh("test -e /usr/bin/dib-run-parts.distrib || test -e /usr/bin/os-refresh-config.distrib").ExitCode.ShouldNotBe(0);
        root.Sh("test -e /usr/bin/register-state-path").ExitCode.ShouldNotBe(0);
        // Every file of both packages is where and as Debian installed it.
        root.Ok($"dpkg --verify {Originals}").ShouldBeEmpty();
    }
}
