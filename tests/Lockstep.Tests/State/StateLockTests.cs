using System.Diagnostics;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.State;

/// <summary>One state command at a time, by a lock only root can take: no other user can hold the commands up.</summary>
public sealed class StateLockTests
{
    [Fact]
    public void A_lock_another_user_takes_on_the_registrys_directory_holds_nothing_up()
    {
        using var box = new StateSandbox();
        string app = RegisterOnePristinePath(box);
        string shared = box.Root + "/shared";
        Directory.CreateDirectory(shared);
        File.SetUnixFileMode(shared, (UnixFileMode)0b1_111_111_111);
        string held = shared + "/held";
        using var blocker = Hold("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/flock", "-x", box.PristineDir, "-c", $"touch '{held}'; sleep 60");
        try
        {
            Eventually.WaitFor(() => File.Exists(held), "nobody to hold a flock on the registry's directory");

            var result = LockstepCli.RunWith(box.Options() with { Timeout = TimeSpan.FromSeconds(30) }, "state", "restore");

            result.ExitCode.ShouldBe(0, result.ToString());
            result.Stderr.ShouldNotContain("waiting for another");
            File.ReadAllText(box.StateOf(app) + "/db").ShouldBe("pristine\n");
            Convert.ToString((int)File.GetUnixFileMode(box.PristineDir + "/.lockstep.lock"), 8).ShouldBe("600");
        }
        finally
        {
            blocker.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void A_second_command_waits_for_the_first_and_says_so()
    {
        using var box = new StateSandbox();
        string app = RegisterOnePristinePath(box);
        string lockFile = box.PristineDir + "/.lockstep.lock";
        string taken = box.Root + "/taken";
        // Another state command, as far as the lock tells: root holding the lock file for 2 s.
        using var first = Hold("/usr/bin/flock", "-x", lockFile, "-c", $"touch '{taken}'; sleep 2");
        Eventually.WaitFor(() => File.Exists(taken), "the first holder to take the lock");

        var result = box.Run("state", "restore");
        first.WaitForExit();

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stderr.ShouldContain($"waiting for another lockstep state command (lock on {lockFile})");
        File.ReadAllText(box.StateOf(app) + "/db").ShouldBe("pristine\n");
    }

    /// <summary>Registers one path with a pristine copy for restore to seed; returns the path.</summary>
    private static string RegisterOnePristinePath(StateSandbox box)
    {
        string app = box.Live + "/srv/app";
        StateSandbox.WriteFile(box.PristineOf(app) + "/db", "pristine\n");
        box.WriteRegistry(app + ";");
        return app;
    }

    private static Process Hold(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { UseShellExecute = false };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }
}
