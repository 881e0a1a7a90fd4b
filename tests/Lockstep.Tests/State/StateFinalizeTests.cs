namespace Lockstep.Tests.State;

public sealed class StateFinalizeTests
{
    [Fact]
    public void Finalize_moves_content_to_the_pristine_store_and_leaves_the_symlink()
    {
        using var box = new StateSandbox();
        string db = box.Live + "/var/lib/postgresql";
        StateSandbox.WriteFile(db + "/16/main/PG_VERSION", "16\n");
        StateSandbox.Sh("chown", "-R", "1234:1234", db);
        File.SetUnixFileMode(db, (UnixFileMode)0b111_000_000);
        string key = StateSandbox.WriteFile(box.Live + "/etc/ssh/key", "secret\n");
        box.Run("state", "register", "--leave-symlink", db + "/16/main").ExitCode.ShouldBe(0);
        box.Run("state", "register", key).ExitCode.ShouldBe(0);

        var result = box.Run("state", "finalize");
        result.ExitCode.ShouldBe(0, result.ToString());

        new FileInfo(db + "/16/main").LinkTarget.ShouldBe(box.StateOf(db + "/16/main"));
        File.ReadAllText(box.PristineOf(db + "/16/main/PG_VERSION")).ShouldBe("16\n");
        Path.Exists(key).ShouldBeFalse();
        File.ReadAllText(box.PristineOf(key)).ShouldBe("secret\n");

        // The pristine parents mirror the live ones, and restore hands that on to the state volume.
        TreeSnapshot.Of(box.PristineOf(db), withRootMtime: false)[0].ShouldBe(". 40700 1234:1234 - ");
        box.Run("state", "restore").ExitCode.ShouldBe(0);
        TreeSnapshot.Of(box.StateOf(db), withRootMtime: false)[0].ShouldBe(". 40700 1234:1234 - ");
        File.ReadAllText(db + "/16/main/PG_VERSION").ShouldBe("16\n");
    }

    [Fact]
    public void A_second_finalize_changes_nothing()
    {
        using var box = new StateSandbox();
        StateSandbox.WriteFile(box.Live + "/srv/a/file", "a\n");
        StateSandbox.WriteFile(box.Live + "/srv/b", "b\n");
        box.Run("state", "register", "--leave-symlink", box.Live + "/srv/a", box.Live + "/srv/empty").ExitCode.ShouldBe(0);
        box.Run("state", "register", box.Live + "/srv/b").ExitCode.ShouldBe(0);
        box.Run("state", "finalize").ExitCode.ShouldBe(0);
        var before = TreeSnapshot.Of(box.Root);

        var again = box.Run("state", "finalize");
        again.ExitCode.ShouldBe(0, again.ToString());
        again.Stderr.ShouldBeEmpty();
        TreeSnapshot.Of(box.Root).ShouldBe(before);
        new FileInfo(box.Live + "/srv/empty").LinkTarget.ShouldBe(box.StateOf(box.Live + "/srv/empty"));
    }

    [Fact]
    public void Content_at_both_places_is_refused_and_the_other_paths_are_finalized()
    {
        using var box = new StateSandbox();
        string conflict = StateSandbox.WriteFile(box.Live + "/srv/a", "new\n");
        StateSandbox.WriteFile(box.PristineOf(conflict), "old\n");
        string fine = StateSandbox.WriteFile(box.Live + "/srv/b", "b\n");
        box.WriteRegistry(conflict + ";true", fine + ";");

        var result = box.Run("state", "finalize");
        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stderr.ShouldContain($"{conflict}: both {conflict} and its pristine copy {box.PristineOf(conflict)} exist; remove the one that is out of date");
        File.ReadAllText(conflict).ShouldBe("new\n");
        File.ReadAllText(box.PristineOf(conflict)).ShouldBe("old\n");
        File.ReadAllText(box.PristineOf(fine)).ShouldBe("b\n");
    }

    [Fact]
    public void A_move_to_another_file_system_copies_with_metadata_and_removes_the_original()
    {
        using var box = new StateSandbox();
        using var other = new TmpfsMount(box.Root + "/other", "size=8m");
        string data = StateSandbox.WriteFile(other.Path + "/srv/data/file", "payload\n");
        File.CreateSymbolicLink(other.Path + "/srv/data/link", "file");
        StateSandbox.Sh("chown", "-R", "-h", "1234:4321", other.Path + "/srv/data");
        StateSandbox.Sh("touch", "-d", "@1000000000", data);
        var original = TreeSnapshot.Of(other.Path + "/srv/data");
        box.WriteRegistry(other.Path + "/srv/data;true");

        var result = box.Run("state", "finalize");
        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stderr.ShouldContain("copied across file systems");
        TreeSnapshot.Of(box.PristineOf(other.Path + "/srv/data")).ShouldBe(original);
        new FileInfo(other.Path + "/srv/data").LinkTarget.ShouldBe(box.StateOf(other.Path + "/srv/data"));
        StateSandbox.Leftovers(other.Path).ShouldBeEmpty();
        StateSandbox.Leftovers(box.PristineDir).ShouldBeEmpty();
    }

    [Fact]
    public void A_cross_file_system_move_killed_midway_is_completed_by_the_next_run()
    {
        using var box = new StateSandbox();
        using var other = new TmpfsMount(box.Root + "/other", "size=8m");
        string path = other.Path + "/srv/data";

        // What a kill leaves: the content set aside on its own file system, a half copy in the store.
        string aside = other.Path + "/srv/.data.lockstep-moving";
        StateSandbox.WriteFile(aside + "/file", "payload\n");
        var original = TreeSnapshot.Of(aside);
        string partial = box.PristineDir + other.Path + "/srv/.lockstep-tmp-4242-deadbeef";
        StateSandbox.WriteFile(partial + "/fi", "pay");
        box.WriteRegistry(path + ";");

        var result = box.Run("state", "finalize");
        result.ExitCode.ShouldBe(0, result.ToString());
        TreeSnapshot.Of(box.PristineOf(path)).ShouldBe(original);
        Path.Exists(aside).ShouldBeFalse();
        Path.Exists(path).ShouldBeFalse();
        StateSandbox.Leftovers(box.PristineDir).ShouldBeEmpty();
    }

    [Fact]
    public void A_path_that_would_carry_the_pristine_store_along_is_refused()
    {
        using var box = new StateSandbox();
        box.WriteRegistry(box.Root + ";");
        var result = box.Run("state", "finalize");
        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stderr.ShouldContain("overlaps the pristine store");
        Directory.Exists(box.PristineDir).ShouldBeTrue();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_symlink_a_service_user_planted_on_the_live_path_cannot_steer_roots_move(bool leaveSymlink)
    {
        using var box = new StateSandbox();
        string app = box.Live + "/srv/app";
        string victim = StateSandbox.WriteFile(box.Root + "/victim/data", "root's\n");
        Directory.CreateDirectory(app + "/cache");
        StateSandbox.Sh("chown", "-R", "65534:65534", app);
        box.WriteRegistry(app + "/cache/data;" + (leaveSymlink ? "true" : ""));

        // The service owns srv/app: it swaps its cache directory for a symlink to a directory of root's.
        StateSandbox.Sh("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "sh", "-c",
            $"rmdir '{app}/cache' && ln -s '{box.Root}/victim' '{app}/cache'");
        var result = box.Run("state", "finalize");

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stderr.ShouldContain($"{app}/cache is a symlink (to {box.Root}/victim) that a user other than root could have made; lockstep does not follow it");
        File.ReadAllText(victim).ShouldBe("root's\n");
        Path.Exists(box.PristineOf(app + "/cache/data")).ShouldBeFalse();
    }

    [Fact]
    public void A_symlink_root_made_where_only_root_writes_is_still_followed_on_the_live_path()
    {
        using var box = new StateSandbox();
        StateSandbox.WriteFile(box.Live + "/data/srv/file", "a\n");
        File.CreateSymbolicLink(box.Live + "/srv", box.Live + "/data/srv");
        box.WriteRegistry(box.Live + "/srv/file;true");

        var result = box.Run("state", "finalize");

        result.ExitCode.ShouldBe(0, result.ToString());
        File.ReadAllText(box.PristineOf(box.Live + "/srv/file")).ShouldBe("a\n");
        new FileInfo(box.Live + "/data/srv/file").LinkTarget.ShouldBe(box.StateOf(box.Live + "/srv/file"));
    }
}
