using Lockstep.Tests.Support;
using Lockstep.Tests.Update;

namespace Lockstep.Tests.Config;

/// <summary>
/// A configuration names the code root runs (script directories, reboot_cmd): one that another
/// user could change, or swap through a directory or symlink on its way, is refused with one line
/// naming it, before anything runs.
/// </summary>
public sealed class ConfigTrustTests : IDisposable
{
    private readonly UpdateHost _host = new();

    public void Dispose() => _host.Dispose();

    private static void Chown(string path, string uid, string flag = "--")
    {
        using var process = System.Diagnostics.Process.Start("chown", [flag, uid, path])!;
        process.WaitForExit();
        process.ExitCode.ShouldBe(0);
    }

    /// <summary>Makes the config untrusted one way; returns what the one error line must contain.</summary>
    private string Spoil(string how)
    {
        string config = _host.Config;
        switch (how)
        {
            case "owned-by-nobody":
                Chown(config, "65534");
                return $"configuration file {config} is owned by uid 65534, not root or the caller (uid 0); refusing to read it (chown it)";
            case "group-writable":
                File.SetUnixFileMode(config, (UnixFileMode)0b110_110_100);
                return $"configuration file {config} is writable by group (mode 0664); refusing to read it (chmod g-w '{config}')";
            case "world-writable":
                File.SetUnixFileMode(config, (UnixFileMode)0b110_100_110);
                return $"configuration file {config} is writable by others (mode 0646)";
            case "directory-owned-by-nobody":
                Chown(_host.Dir.Path, "65534");
                return $"configuration file {config} is reached through directory {_host.Dir.Path}, which is owned by uid 65534";
            default:
                string elsewhere = _host.Dir["elsewhere.ini"];
                File.Move(config, elsewhere);
                File.CreateSymbolicLink(config, elsewhere);
                Chown(config, "65534", "-h");
                return $"configuration file {config} is reached through symlink {config}, which is owned by uid 65534";
        }
    }

    [Theory]
    [InlineData("owned-by-nobody")]
    [InlineData("group-writable")]
    [InlineData("world-writable")]
    [InlineData("directory-owned-by-nobody")]
    [InlineData("symlink-owned-by-nobody")]
    public void An_update_config_another_user_could_change_is_refused_and_nothing_runs(string how)
    {
        string expected = Spoil(how);

        var result = _host.Update();

        result.ExitCode.ShouldBe(3, result.ToString());
        _host.Ran.ShouldBeEmpty();
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain(expected);
    }

    [Theory]
    [InlineData("owned-by-nobody")]
    [InlineData("world-writable")]
    [InlineData("symlink-owned-by-nobody")]
    public void A_lock_config_another_user_could_change_is_refused(string how)
    {
        string expected = Spoil(how);

        var result = LockstepCli.Run("lock", "status", "--config", _host.Config);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain(expected);
    }

    [Theory]
    [InlineData("fifo")]
    [InlineData("device")]
    [InlineData("directory")]
    public void A_special_file_as_config_fails_at_once_with_one_line(string kind)
    {
        string path = kind switch
        {
            "fifo" => _host.Dir["config.fifo"],
            "device" => "/dev/zero",
            _ => _host.Dir.Dir("config.d"),
        };
        if (kind == "fifo")
        {
            using var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path])!;
            mkfifo.WaitForExit();
        }

        var result = LockstepCli.RunWith(new CliOptions { Timeout = TimeSpan.FromSeconds(20) }, "update", "--config", path);

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain($"{path}: configuration file cannot be read ({(kind == "fifo" ? "it is a FIFO, not a regular file" : kind == "device" ? "it is a character device, not a regular file" : "it is a directory")})");
    }
}
