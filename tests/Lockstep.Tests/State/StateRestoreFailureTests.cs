namespace Lockstep.Tests.State;

/// <summary>A state volume that cannot take the copy: each path fails alone, with one line, and leaves nothing behind.</summary>
public sealed class StateRestoreFailureTests
{
    [Fact]
    public void A_read_only_state_volume_fails_each_path_with_one_line()
    {
        using var box = new StateSandbox();
        StateSandbox.WriteFile(box.PristineOf("/srv/a/file"), "a\n");
        StateSandbox.WriteFile(box.PristineOf("/srv/b/file"), "b\n");
        box.WriteRegistry("/srv/a;", "/srv/b;");
        // mode=0755: a tmpfs is 1777 by default, which a state root may not be (StateRootTrustTests).
        using var mount = new TmpfsMount(box.StateRoot, "ro,size=1m,mode=0755");

        var result = box.Run("state", "restore");
        result.ExitCode.ShouldBe(1, result.ToString());
        var errors = result.Stderr.Trim().Split('\n');
        errors.Length.ShouldBe(2, result.Stderr);
        errors[0].ShouldContain($"ERROR: /srv/a: mkdir {box.StateRoot}/srv: Read-only file system; fix that and run 'lockstep state restore' again");
        errors[1].ShouldContain("ERROR: /srv/b: ");
    }

    [Fact]
    public void A_full_state_volume_fails_the_big_path_leaves_no_partial_copy_and_still_seeds_the_next()
    {
        using var box = new StateSandbox();
        StateSandbox.WriteFile(box.PristineOf("/srv/a-big/small"), "fits\n");
        File.WriteAllBytes(box.PristineOf("/srv/a-big/huge"), new byte[2 * 1024 * 1024]);
        StateSandbox.WriteFile(box.PristineOf("/srv/b-small"), "fits too\n");
        box.WriteRegistry("/srv/a-big;", "/srv/b-small;");
        using var mount = new TmpfsMount(box.StateRoot, "size=512k,mode=0755");

        var result = box.Run("state", "restore");
        result.ExitCode.ShouldBe(1, result.ToString());
        string error = result.Stderr.Split('\n').Where(l => l.Contains(" ERROR: ", StringComparison.Ordinal)).ShouldHaveSingleItem();
        error.ShouldContain("/srv/a-big: ");
        error.ShouldContain("No space left on device");
        error.ShouldContain(box.StateOf("/srv/a-big/huge"));

        Directory.Exists(box.StateOf("/srv/a-big")).ShouldBeFalse();
        File.ReadAllText(box.StateOf("/srv/b-small")).ShouldBe("fits too\n");
        StateSandbox.Leftovers(box.StateRoot).ShouldBeEmpty();
    }

    [Fact]
    public void A_file_where_a_parent_directory_belongs_fails_that_path_only()
    {
        using var box = new StateSandbox();
        StateSandbox.WriteFile(box.PristineOf("/srv/blocked/file"), "x\n");
        StateSandbox.WriteFile(box.PristineOf("/var/ok"), "ok\n");
        box.WriteRegistry("/srv/blocked;", "/var/ok;");
        StateSandbox.WriteFile(box.StateRoot + "/srv", "a file, not a directory");

        var result = box.Run("state", "restore");
        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stderr.ShouldContain($"ERROR: /srv/blocked: {box.StateRoot}/srv is in the way: it is not a directory");
        File.ReadAllText(box.StateRoot + "/srv").ShouldBe("a file, not a directory");
        File.ReadAllText(box.StateOf("/var/ok")).ShouldBe("ok\n");
    }

    [Fact]
    public void A_state_root_that_is_a_file_fails_the_command_with_one_line_and_is_left_alone()
    {
        using var box = new StateSandbox();
        StateSandbox.WriteFile(box.PristineOf("/srv/a"), "x\n");
        box.WriteRegistry("/srv/a;");
        string fileRoot = StateSandbox.WriteFile(Path.Combine(box.Root, "state-file"), "not a dir");

        var result = box.Run("state", "restore", "--state-root", fileRoot);
        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain($"state root {fileRoot} is a regular file, not a directory; give a directory");
        File.ReadAllText(fileRoot).ShouldBe("not a dir");
    }
}
