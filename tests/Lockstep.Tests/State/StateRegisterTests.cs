using Lockstep.Tests.Support;

namespace Lockstep.Tests.State;

public sealed class StateRegisterTests
{
    [Fact]
    public void Register_writes_use_ephemerals_registry_format_once_per_path()
    {
        using var box = new StateSandbox();
        box.Run("state", "register", "--leave-symlink", "/etc/ssh/ssh_host_rsa_key").ExitCode.ShouldBe(0);
        box.Run("state", "register", "/var/lib/postgresql").ExitCode.ShouldBe(0);
        var again = box.Run("state", "register", "--leave-symlink", "/etc/ssh/ssh_host_rsa_key/");
        again.ExitCode.ShouldBe(0, again.ToString());
        again.Stderr.ShouldContain("already registered");

        File.ReadAllText(box.Registry).ShouldBe("/etc/ssh/ssh_host_rsa_key;true\n/var/lib/postgresql;\n");
        Convert.ToString((int)File.GetUnixFileMode(box.Registry), 8).ShouldBe("644");
    }

    [Fact]
    public void Register_creates_the_pristine_store_and_keeps_existing_lines_as_written()
    {
        using var box = new StateSandbox();
        Directory.Delete(box.PristineDir);
        box.Run("state", "register", "/srv/a").ExitCode.ShouldBe(0);
        File.AppendAllText(box.Registry, "/srv/legacy");
        box.Run("state", "register", "/srv/b").ExitCode.ShouldBe(0);
        File.ReadAllText(box.Registry).ShouldBe("/srv/a;\n/srv/legacy\n/srv/b;\n");
        StateSandbox.Leftovers(box.PristineDir).ShouldBeEmpty();
    }

    [Fact]
    public void Paths_the_registry_cannot_hold_are_refused_with_status_2_and_the_good_ones_registered()
    {
        using var box = new StateSandbox();
        var result = box.Run("state", "register", "relative/path", "/srv/good", "/srv/semi;colon", "/srv/new\nline", "/srv/../etc");
        result.ExitCode.ShouldBe(2, result.ToString());
        var errors = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        errors.Count(l => l.Contains("ERROR: cannot register", StringComparison.Ordinal)).ShouldBe(4, result.Stderr);
        result.Stderr.ShouldContain("'relative/path' is not an absolute path");
        result.Stderr.ShouldContain("'/srv/semi;colon' contains ';'");
        result.Stderr.ShouldContain("'/srv/new\\nline' contains a newline");
        File.ReadAllText(box.Registry).ShouldBe("/srv/good;\n");
    }

    [Fact]
    public void Registering_again_with_the_other_flag_is_refused_and_the_line_kept()
    {
        using var box = new StateSandbox();
        box.Run("state", "register", "/srv/a").ExitCode.ShouldBe(0);
        var result = box.Run("state", "register", "--leave-symlink", "/srv/a", "/srv/b");
        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stderr.ShouldContain($"/srv/a is already registered without --leave-symlink in {box.Registry}");
        File.ReadAllText(box.Registry).ShouldBe("/srv/a;\n/srv/b;true\n");
    }

    [Fact]
    public void A_path_around_the_pristine_store_is_refused()
    {
        using var box = new StateSandbox();
        var result = box.Run("state", "register", box.Root);
        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldContain("overlaps the pristine store");
        File.Exists(box.Registry).ShouldBeFalse();
    }

    [Fact]
    public void The_register_state_path_symlink_acts_as_use_ephemerals_command()
    {
        using var box = new StateSandbox();
        string link = Path.Combine(box.Root, "register-state-path");
        File.CreateSymbolicLink(link, LockstepCli.Binary);
        var options = box.Options() with { Executable = link };
        var result = LockstepCli.RunWith(options, "--leave-symlink", "/etc/ssh/ssh_host_ed25519_key");
        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stderr.ShouldContain("register-state-path INFO: registered /etc/ssh/ssh_host_ed25519_key");
        File.ReadAllText(box.Registry).ShouldBe("/etc/ssh/ssh_host_ed25519_key;true\n");

        var bad = LockstepCli.RunWith(options, "--no-such-flag", "/x");
        bad.ExitCode.ShouldBe(2, bad.ToString());
    }

    [Fact]
    public void Options_win_over_the_environment()
    {
        using var box = new StateSandbox();
        string other = Path.Combine(box.Root, "elsewhere", "paths");
        var options = box.Options();
        options.Environment["LOCKSTEP_STATE_REGISTRY"] = Path.Combine(box.Root, "from-env");
        LockstepCli.RunWith(options, "state", "register", "--registry", other, "/srv/a").ExitCode.ShouldBe(0);
        File.ReadAllText(other).ShouldBe("/srv/a;\n");
        File.Exists(options.Environment["LOCKSTEP_STATE_REGISTRY"]!).ShouldBeFalse();

        LockstepCli.RunWith(options, "state", "register", "/srv/b").ExitCode.ShouldBe(0);
        File.ReadAllText(Path.Combine(box.Root, "from-env")).ShouldBe("/srv/b;\n");
    }

    [Fact]
    public void An_unreadable_registry_stops_with_one_line_naming_it()
    {
        using var box = new StateSandbox();
        Directory.CreateDirectory(box.Registry);
        var result = box.Run("state", "register", "/srv/a");
        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain($"cannot read the registry {box.Registry}");
    }

    [Fact]
    public void A_line_that_is_not_utf8_is_a_path_like_any_other_and_kept_byte_for_byte()
    {
        // Paths are bytes (README): use-ephemeral's shell registered such a path as it was.
        using var box = new StateSandbox();
        byte[] original = [.. "/srv/a;\n/srv/"u8, 0xff, .. ";true"u8];
        File.WriteAllBytes(box.Registry, original);
        var result = box.Run("state", "register", "/srv/b");
        result.ExitCode.ShouldBe(0, result.ToString());
        File.ReadAllBytes(box.Registry).ShouldBe([.. original, .. "\n/srv/b;\n"u8]);
        var list = box.Run("state", "list", "--json");
        list.Stdout.ShouldContain("\"path\": \"/srv/\\\\xff\"");
    }
}
