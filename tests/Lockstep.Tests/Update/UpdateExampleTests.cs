using Lockstep.Tests.Support;

namespace Lockstep.Tests.Update;

/// <summary>The bundled examples/update works as the README tells a new user to run it.</summary>
public sealed class UpdateExampleTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_bundled_example_updates_waits_for_its_pretend_reboot_and_finishes()
    {
        string example = Path.Combine(LockstepCli.RepositoryRoot(), "examples", "update");
        Copy(example, _dir.Path);
        string config = _dir["update.ini"];

        var first = LockstepCli.Run("update", "--config", config);
        var afterReboot = LockstepCli.Run("update", "--config", config, "--assume-rebooted");
        var again = LockstepCli.Run("update", "--config", config);

        first.ExitCode.ShouldBe(5, first.ToString());
        first.Stdout.ShouldBe("""
            example: updates available
            example: stopping services (pre_update, lock example)
            example: installing updates
            example: a new kernel was installed, a reboot is needed
            example: this is where the host would reboot

            """);
        File.ReadAllText(_dir["var/reboots.log"]).ShouldContain("reboot requested: --now");
        afterReboot.ExitCode.ShouldBe(0, afterReboot.ToString());
        afterReboot.Stdout.ShouldBe("example: services are healthy\n");
        again.ExitCode.ShouldBe(0, again.ToString());
        again.Stdout.ShouldBe("example: no updates available\n");
        File.Exists(_dir["var/update.state"]).ShouldBeFalse();
    }

    /// <summary>Copies the example without its runtime files, scripts 0755 as a checkout under umask 022 has them.</summary>
    private static void Copy(string from, string to)
    {
        foreach (string dir in Directory.GetDirectories(from).Where(d => Path.GetFileName(d) != "var"))
        {
            string target = Path.Combine(to, Path.GetFileName(dir));
            Directory.CreateDirectory(target, (UnixFileMode)0b111_101_101);
            Copy(dir, target);
        }

        foreach (string file in Directory.GetFiles(from))
        {
            string target = Path.Combine(to, Path.GetFileName(file));
            File.Copy(file, target);
            File.SetUnixFileMode(target, File.GetUnixFileMode(file) & ~(UnixFileMode.GroupWrite | UnixFileMode.OtherWrite));
        }
    }
}
