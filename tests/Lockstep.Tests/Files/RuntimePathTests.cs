using Lockstep.Tests.Refresh;
using Lockstep.Tests.Support;
using Lockstep.Tests.Update;

namespace Lockstep.Tests.Files;

/// <summary>
/// Files Lockstep writes as root (refresh's lockfile, update's lock, state and log, run records)
/// are never opened through a symlink another user planted, and a FIFO or device where such a
/// file belongs fails at once with one line instead of hanging. The attacker here is 'nobody',
/// planting links in a sticky directory as on /tmp.
/// </summary>
public sealed class RuntimePathTests : IDisposable
{
    private readonly TempDir _temp = new();

    public RuntimePathTests()
    {
        Shared = _temp.Dir("shared");
        File.SetUnixFileMode(Shared, (UnixFileMode)0b1_111_111_111);
        Victim = _temp.File("important", "precious\n");
    }

    /// <summary>A sticky directory anyone may write, like /tmp.</summary>
    private string Shared { get; }

    /// <summary>A root file the attacker wants clobbered.</summary>
    private string Victim { get; }

    public void Dispose() => _temp.Dispose();

    private static void AsNobody(params string[] command)
    {
        using var process = System.Diagnostics.Process.Start("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", .. command])!;
        process.WaitForExit();
        process.ExitCode.ShouldBe(0, string.Join(' ', command));
    }

    private void Plant(string link, string target) => AsNobody("ln", "-s", target, link);

    private static void MakeFifo(string path)
    {
        using var process = System.Diagnostics.Process.Start("mkfifo", [path])!;
        process.WaitForExit();
        process.ExitCode.ShouldBe(0);
    }

    private static void HardLink(string target, string link)
    {
        using var process = System.Diagnostics.Process.Start("ln", ["--", target, link])!;
        process.WaitForExit();
        process.ExitCode.ShouldBe(0);
    }

    private void VictimIsIntact() => File.ReadAllText(Victim).ShouldBe("precious\n");

    [Fact]
    public void A_refresh_lockfile_planted_as_a_symlink_by_another_user_is_refused_and_its_target_kept()
    {
        string lockFile = Path.Combine(Shared, "refresh.lock");
        Plant(lockFile, Victim);
        using var host = new RefreshHost();
        host.Script("configure", "10-x", "echo ran");

        var result = LockstepCli.RunWith(host.WithBase(new CliOptions()), "refresh", "--lockfile", lockFile, "--state-dir", host.StateDir);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stdout.ShouldBeEmpty();
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain($"lockfile {lockFile} is reached through symlink {lockFile}, which is owned by uid 65534");
        VictimIsIntact();
    }

    [Fact]
    public void A_refresh_lockfile_below_a_directory_symlink_planted_by_another_user_is_refused()
    {
        string dir = Path.Combine(Shared, "x");
        Plant(dir, _temp.Path);
        using var host = new RefreshHost();

        var result = LockstepCli.RunWith(host.WithBase(new CliOptions()), "refresh", "--lockfile", dir + "/important", "--state-dir", host.StateDir);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stderr.ShouldContain($"is reached through symlink {dir}, which is owned by uid 65534");
        VictimIsIntact();
    }

    [Theory]
    [InlineData("fifo")]
    [InlineData("device")]
    [InlineData("directory")]
    public void A_special_file_as_refresh_lockfile_fails_at_once_with_one_line(string kind)
    {
        string lockFile = kind switch
        {
            "fifo" => Path.Combine(Shared, "refresh.fifo"),
            "device" => "/dev/null",
            _ => _temp.Dir("a-directory"),
        };
        if (kind == "fifo")
        {
            MakeFifo(lockFile);
        }

        using var host = new RefreshHost();
        host.Script("configure", "10-x", "echo ran");

        var result = LockstepCli.RunWith(host.WithBase(new CliOptions { Timeout = TimeSpan.FromSeconds(20) }), "refresh", "--lockfile", lockFile, "--state-dir", host.StateDir);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stdout.ShouldBeEmpty();
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain(
            $"lockfile {lockFile} is {(kind == "fifo" ? "a FIFO" : kind == "device" ? "a character device" : "a directory")}, not a regular file");
    }

    [Theory]
    [InlineData("lock")]
    [InlineData("state")]
    [InlineData("log")]
    public void Update_files_planted_as_symlinks_by_another_user_are_refused_and_their_targets_kept(string key)
    {
        string planted = Path.Combine(Shared, key);
        Plant(planted, Victim);
        using var host = new UpdateHost($"{key} = {planted}");

        var result = host.Update();

        result.ExitCode.ShouldBe(3, result.ToString());
        host.Ran.ShouldBeEmpty();
        result.Stderr.ShouldContain($"{planted} is reached through symlink {planted}, which is owned by uid 65534");
        VictimIsIntact();
    }

    /// <summary>A runtime file that is also another file (a hard link to it) is refused, so writing it cannot clobber the other.</summary>
    [Theory]
    [InlineData("lock", "run lock {0} has 2 hard links; lockstep does not ")]
    [InlineData("log", "log file {0} has 2 hard links; lockstep does not ")]
    public void Update_files_hard_linked_to_another_file_are_refused_and_it_is_kept(string key, string expected)
    {
        string linked = Path.Combine(_temp.Dir("var"), key);
        HardLink(Victim, linked);
        using var host = new UpdateHost($"{key} = {linked}");

        var result = host.Update();

        result.ExitCode.ShouldBe(3, result.ToString());
        host.Ran.ShouldBeEmpty();
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, linked));
        VictimIsIntact();
    }

    /// <summary>A file another user made where a runtime file belongs (in a sticky directory, as on /tmp) is theirs to swap or read: refused.</summary>
    [Theory]
    [InlineData("lock", "run lock {0} is owned by uid 65534, not root or the caller (uid 0); lockstep does not ")]
    [InlineData("log", "log file {0} is owned by uid 65534, not root or the caller (uid 0); lockstep does not ")]
    public void Update_files_another_user_made_are_refused(string key, string expected)
    {
        string theirs = Path.Combine(Shared, key);
        AsNobody("touch", theirs);
        using var host = new UpdateHost($"{key} = {theirs}");

        var result = host.Update();

        result.ExitCode.ShouldBe(3, result.ToString());
        host.Ran.ShouldBeEmpty();
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, theirs));
    }

    [Fact]
    public void A_refresh_lockfile_another_user_made_is_refused()
    {
        string theirs = Path.Combine(Shared, "refresh.lock");
        AsNobody("touch", theirs);
        using var host = new RefreshHost();
        host.Script("configure", "10-x", "echo ran");

        var result = LockstepCli.RunWith(host.WithBase(new CliOptions()), "refresh", "--lockfile", theirs, "--state-dir", host.StateDir);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stdout.ShouldBeEmpty();
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain($"lockfile {theirs} is owned by uid 65534, not root or the caller (uid 0)");
    }

    [Fact]
    public void A_refresh_lockfile_hard_linked_to_another_file_is_refused_and_it_is_kept()
    {
        string linked = Path.Combine(_temp.Dir("run"), "refresh.lock");
        HardLink(Victim, linked);
        using var host = new RefreshHost();
        host.Script("configure", "10-x", "echo ran");

        var result = LockstepCli.RunWith(host.WithBase(new CliOptions()), "refresh", "--lockfile", linked, "--state-dir", host.StateDir);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stdout.ShouldBeEmpty();
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain($"lockfile {linked} has 2 hard links; lockstep does not ");
        VictimIsIntact();
    }

    [Fact]
    public void An_update_log_may_be_a_character_device_such_as_dev_null()
    {
        using var host = new UpdateHost("log = /dev/null");

        var result = host.Update();

        result.ExitCode.ShouldBe(0, result.ToString());
        host.Ran.ShouldBe(["needs_update free fleet", "pre_update locked fleet", "update locked fleet", "needs_reboot locked fleet", "post_update locked fleet"]);
    }

    [Fact]
    public void A_fifo_as_update_lock_fails_at_once_with_one_line()
    {
        string fifo = Path.Combine(Shared, "lock.fifo");
        MakeFifo(fifo);
        using var host = new UpdateHost($"lock = {fifo}");

        var result = host.Update();

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain($"run lock {fifo} is a FIFO, not a regular file");
    }

    [Fact]
    public void Run_records_below_a_state_directory_symlink_planted_by_another_user_are_not_written_there()
    {
        string stateDir = Path.Combine(Shared, "state");
        string elsewhere = _temp.Dir("elsewhere");
        Plant(stateDir, elsewhere);
        using var host = new RefreshHost();
        host.Script("configure", "10-x", "echo ran");

        var result = LockstepCli.RunWith(host.WithBase(new CliOptions()), "refresh", "--lockfile", host.LockFile, "--state-dir", stateDir);

        // A history log must not stop a refresh: the run goes on, unrecorded, with a warning naming the link.
        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stderr.ShouldContain($"is reached through symlink {stateDir}, which is owned by uid 65534");
        Directory.EnumerateFileSystemEntries(elsewhere).ShouldBeEmpty();
    }

    [Fact]
    public void A_run_record_that_is_a_fifo_is_shown_as_unreadable_without_hanging()
    {
        using var host = new RefreshHost();
        host.Run().ExitCode.ShouldBe(0);
        MakeFifo(Path.Combine(host.StateDir, "runs", "20991231T000000.000Z-1.json"));

        var result = LockstepCli.RunWith(new CliOptions { Timeout = TimeSpan.FromSeconds(20) }, "history", "--state-dir", host.StateDir);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stderr.ShouldContain("20991231T000000.000Z-1.json: it is a FIFO, not a regular file; it is shown as unreadable");
    }
}
