namespace Lockstep.Tests.State;

public sealed class StateRestoreTests
{
    private const string Db = "/srv/db/data";

    /// <summary>A pristine database directory with owners, modes, mtimes, a symlink, a FIFO and an empty directory.</summary>
    private static void SeedPristine(StateSandbox box)
    {
        string root = box.PristineOf(Db);
        StateSandbox.WriteFile(root + "/PG_VERSION", "16\n");
        StateSandbox.WriteFile(root + "/base/1/1259", new string('x', 100_000));
        StateSandbox.WriteFile(root + "/.hidden", "dotfiles too\n");
        Directory.CreateDirectory(root + "/pg_wal/archive_status");
        File.CreateSymbolicLink(root + "/current", "base/1");
        File.CreateSymbolicLink(root + "/dangling-inside", "no/such/target");
        StateSandbox.Sh("mkfifo", "-m", "0620", root + "/fifo");
        StateSandbox.Sh("chown", "-R", "-h", "1234:2345", root);
        StateSandbox.Sh("chown", "4321:0", box.PristineDir + "/srv/db");
        File.SetUnixFileMode(root, (UnixFileMode)0b111_000_000);
        File.SetUnixFileMode(box.PristineDir + "/srv/db", (UnixFileMode)0b111_101_000);
        File.SetUnixFileMode(root + "/PG_VERSION", (UnixFileMode)0b110_000_000 | UnixFileMode.SetGroup);
        StateSandbox.Sh("touch", "-h", "-d", "@981173106.123456789", root + "/current");
        StateSandbox.Sh("touch", "-d", "@1015232767.5", root + "/PG_VERSION", root + "/base", root);
        box.WriteRegistry(Db + ";");
    }

    [Fact]
    public void Restore_seeds_a_copy_that_keeps_mode_owner_mtime_and_symlinks()
    {
        using var box = new StateSandbox();
        SeedPristine(box);
        var result = box.Run("state", "restore");
        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stderr.ShouldContain($"seeded {box.StateOf(Db)} from {box.PristineOf(Db)}");

        TreeSnapshot.Of(box.StateOf(Db)).ShouldBe(TreeSnapshot.Of(box.PristineOf(Db)));
        new FileInfo(box.StateOf(Db) + "/current").LinkTarget.ShouldBe("base/1");
        TreeSnapshot.Of(box.StateOf(Db)).ShouldContain(l => l.StartsWith("./PG_VERSION 102600 1234:2345 1015232767.500000000 ", StringComparison.Ordinal));
        StateSandbox.Leftovers(box.StateRoot).ShouldBeEmpty();
    }

    [Fact]
    public void Parent_directories_take_the_mode_and_owner_of_the_pristine_parents()
    {
        using var box = new StateSandbox();
        SeedPristine(box);
        box.Run("state", "restore").ExitCode.ShouldBe(0);

        TreeSnapshot.Of(box.StateRoot + "/srv/db", withRootMtime: false)[0].ShouldBe(". 40750 4321:0 - ");
        TreeSnapshot.Of(box.StateRoot + "/srv", withRootMtime: false)[0].ShouldStartWith(". 40755 ");
    }

    [Fact]
    public void Existing_state_is_never_overwritten()
    {
        using var box = new StateSandbox();
        SeedPristine(box);
        box.Run("state", "restore").ExitCode.ShouldBe(0);
        string version = box.StateOf(Db) + "/PG_VERSION";
        File.WriteAllText(version, "17 after pg_upgrade\n");
        File.Delete(box.StateOf(Db) + "/.hidden");
        var evolved = TreeSnapshot.Of(box.StateOf(Db));

        var again = box.Run("state", "restore");
        again.ExitCode.ShouldBe(0, again.ToString());
        again.Stderr.ShouldNotContain("seeded");
        File.ReadAllText(version).ShouldBe("17 after pg_upgrade\n");
        TreeSnapshot.Of(box.StateOf(Db)).ShouldBe(evolved);
    }

    [Fact]
    public void A_dangling_symlink_in_the_state_volume_counts_as_existing_state()
    {
        using var box = new StateSandbox();
        SeedPristine(box);
        Directory.CreateDirectory(box.StateRoot + "/srv/db");
        File.CreateSymbolicLink(box.StateOf(Db), "/nowhere/yet");

        box.Run("state", "restore").ExitCode.ShouldBe(0);
        new FileInfo(box.StateOf(Db)).LinkTarget.ShouldBe("/nowhere/yet");
    }

    [Fact]
    public void Bad_paths_each_get_one_line_and_the_others_are_still_seeded()
    {
        using var box = new StateSandbox();
        StateSandbox.WriteFile(box.PristineOf("/srv/good/file"), "good\n");
        Directory.CreateDirectory(box.PristineDir + "/srv/dangling-parent");
        File.CreateSymbolicLink(box.PristineOf("/srv/dangling-parent/key"), "/no/such/key");
        StateSandbox.WriteFile(box.PristineOf("/srv/zz-last"), "last\n");
        box.WriteRegistry("/srv/dangling-parent/key;", "not/absolute;", "/srv/no-parent/data;true", "/srv/good;", "/srv/zz-last;nope", "/srv/zz-last;");

        var result = box.Run("state", "restore");
        result.ExitCode.ShouldBe(1, result.ToString());
        var errors = result.Stderr.Split('\n').Where(l => l.Contains(" ERROR: ", StringComparison.Ordinal)).ToList();
        errors.Count.ShouldBe(4, result.Stderr);
        errors.ShouldContain(l => l.Contains($"{box.Registry}:2: 'not/absolute' is not an absolute path", StringComparison.Ordinal));
        errors.ShouldContain(l => l.Contains($"{box.Registry}:5: '/srv/zz-last;nope' has 'nope' after ';'", StringComparison.Ordinal));
        errors.ShouldContain(l => l.Contains($"/srv/dangling-parent/key: the pristine copy {box.PristineOf("/srv/dangling-parent/key")} is a dangling symlink (to /no/such/key)", StringComparison.Ordinal));
        errors.ShouldContain(l => l.Contains($"/srv/no-parent/data: its parent {box.PristineDir}/srv/no-parent is missing from the pristine store", StringComparison.Ordinal));

        File.ReadAllText(box.StateOf("/srv/good/file")).ShouldBe("good\n");
        File.ReadAllText(box.StateOf("/srv/zz-last")).ShouldBe("last\n");
        Directory.Exists(box.StateRoot + "/srv/no-parent").ShouldBeFalse();
        File.Exists(box.StateOf("/srv/dangling-parent/key")).ShouldBeFalse();
    }

    [Fact]
    public void A_path_without_pristine_copy_gets_its_parents_and_nothing_else()
    {
        using var box = new StateSandbox();
        Directory.CreateDirectory(box.PristineDir + "/var/log/svc");
        box.WriteRegistry("/var/log/svc/journal;");
        box.Run("state", "restore").ExitCode.ShouldBe(0);
        Directory.Exists(box.StateRoot + "/var/log/svc").ShouldBeTrue();
        Directory.EnumerateFileSystemEntries(box.StateRoot + "/var/log/svc").ShouldBeEmpty();
    }

    [Fact]
    public void No_registry_means_nothing_to_do()
    {
        using var box = new StateSandbox();
        var result = box.Run("state", "restore");
        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stderr.ShouldBeEmpty();
        Directory.EnumerateFileSystemEntries(box.StateRoot).ShouldBeEmpty();
    }

    [Fact]
    public void Leftovers_of_a_killed_run_are_removed_even_where_the_state_exists_by_now()
    {
        using var box = new StateSandbox();
        SeedPristine(box);
        box.Run("state", "restore").ExitCode.ShouldBe(0);
        string leftover = box.StateRoot + "/srv/db/.lockstep-tmp-99999-0123abcd";
        StateSandbox.WriteFile(leftover + "/half/copied", "partial");
        File.SetUnixFileMode(leftover + "/half", UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var result = box.Run("state", "restore");
        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stderr.ShouldContain($"removed {leftover}, left by an interrupted run");
        StateSandbox.Leftovers(box.StateRoot).ShouldBeEmpty();
    }

    [Fact]
    public void Leftovers_in_the_directories_on_the_way_are_removed_too()
    {
        using var box = new StateSandbox();
        SeedPristine(box);
        box.Run("state", "restore").ExitCode.ShouldBe(0);
        Directory.CreateDirectory(box.StateRoot + "/.lockstep-tmp-99999-0123abcd/db", (UnixFileMode)0b111_000_000);
        Directory.CreateDirectory(box.StateRoot + "/srv/.lockstep-tmp-99999-4567cdef", (UnixFileMode)0b111_000_000);

        box.Run("state", "restore").ExitCode.ShouldBe(0);
        StateSandbox.Leftovers(box.StateRoot).ShouldBeEmpty();
    }

    [Fact]
    public void Use_ephemerals_STATEFUL_PATH_moves_the_state_root_when_lockstep_has_none()
    {
        using var box = new StateSandbox();
        StateSandbox.WriteFile(box.PristineOf("/srv/a"), "a\n");
        box.WriteRegistry("/srv/a;");
        string legacy = Path.Combine(box.Root, "legacy-state");
        var options = box.Options();
        options.Environment["LOCKSTEP_STATE_ROOT"] = null;
        options.Environment["STATEFUL_PATH"] = legacy;

        Support.LockstepCli.RunWith(options, "state", "restore").ExitCode.ShouldBe(0);
        File.ReadAllText(legacy + "/srv/a").ShouldBe("a\n");
    }
}
