namespace Lockstep.Tests.State;

/// <summary>
/// Restore runs as root in directories a service owns (its parents mirror the pristine owners).
/// What the service user plants there must never make root write, chmod or delete elsewhere.
/// </summary>
public sealed class StateRestoreServiceUserTests
{
    private const string Service = "1234";
    private const string App = "/var/lib/app";
    private const string Data = App + "/sub/data";

    /// <summary>A pristine store where <c>/var/lib/app</c> and below belong to the service user, seeded once, and a victim directory.</summary>
    private static string Seeded(StateSandbox box)
    {
        StateSandbox.WriteFile(box.PristineOf(Data + "/file"), "seed\n");
        StateSandbox.WriteFile(box.PristineOf("/srv/other"), "other\n");
        StateSandbox.Sh("chown", "-R", $"{Service}:{Service}", box.PristineOf(App));
        box.WriteRegistry(Data + ";", "/srv/other;");
        var first = box.Run("state", "restore");
        first.ExitCode.ShouldBe(0, first.ToString());
        TreeSnapshot.Of(box.StateOf(App), withRootMtime: false)[0].ShouldBe($". 40755 {Service}:{Service} - ");
        return Directory.CreateDirectory(Path.Combine(box.Root, "victim")).FullName;
    }

    /// <summary>What the service user may do in a directory it owns: replace an entry by a symlink of its own.</summary>
    private static void PlantSymlink(string path, string target)
    {
        if (Directory.Exists(path) && !new FileInfo(path).Attributes.HasFlag(FileAttributes.ReparsePoint))
        {
            Directory.Delete(path, recursive: true);
        }

        File.CreateSymbolicLink(path, target);
        StateSandbox.Sh("chown", "-h", $"{Service}:{Service}", path);
    }

    [Fact]
    public void A_parent_directory_the_service_user_replaced_by_a_symlink_is_refused_and_nothing_is_written_through_it()
    {
        using var box = new StateSandbox();
        string victim = Seeded(box);
        File.Delete(box.StateOf("/srv/other"));
        PlantSymlink(box.StateOf(App + "/sub"), victim);

        var result = box.Run("state", "restore");
        result.ExitCode.ShouldBe(1, result.ToString());
        string error = result.Stderr.Split('\n').Where(l => l.Contains(" ERROR: ", StringComparison.Ordinal)).ShouldHaveSingleItem();
        error.ShouldContain($"{Data}: {box.StateOf(App + "/sub")} is a symlink (to {victim})");
        Directory.EnumerateFileSystemEntries(victim).ShouldBeEmpty();
        File.ReadAllText(box.StateOf("/srv/other")).ShouldBe("other\n");
    }

    [Fact]
    public void Symlinks_the_service_user_named_like_leftovers_are_removed_without_following_them()
    {
        using var box = new StateSandbox();
        string victim = Seeded(box);
        File.WriteAllText(Path.Combine(victim, "keep"), "victim's\n");
        string sub = box.StateOf(App + "/sub");
        PlantSymlink(sub + "/.lockstep-tmp-1-link", victim);
        Directory.CreateDirectory(sub + "/.lockstep-tmp-2-dir");
        PlantSymlink(sub + "/.lockstep-tmp-2-dir/inner", victim);

        var result = box.Run("state", "restore");
        result.ExitCode.ShouldBe(0, result.ToString());
        File.ReadAllText(Path.Combine(victim, "keep")).ShouldBe("victim's\n");
        StateSandbox.Leftovers(box.StateRoot).ShouldBeEmpty();
        File.ReadAllText(box.StateOf(Data + "/file")).ShouldBe("seed\n");
    }

    [Fact]
    public void A_symlink_root_made_in_a_directory_only_root_writes_is_followed()
    {
        using var box = new StateSandbox();
        string elsewhere = Directory.CreateDirectory(Path.Combine(box.Root, "bigger-disk")).FullName;
        File.CreateSymbolicLink(box.StateRoot + "/srv", elsewhere);
        StateSandbox.WriteFile(box.PristineOf("/srv/other"), "other\n");
        box.WriteRegistry("/srv/other;");

        var result = box.Run("state", "restore");
        result.ExitCode.ShouldBe(0, result.ToString());
        File.ReadAllText(Path.Combine(elsewhere, "other")).ShouldBe("other\n");
    }

    [Fact]
    public void A_pristine_parent_the_service_user_replaced_by_a_symlink_is_refused_and_nothing_is_read_through_it()
    {
        using var box = new StateSandbox();
        string victim = Seeded(box);
        StateSandbox.WriteFile(victim + "/data/secret", "root's\n");
        Directory.Delete(box.StateOf(App + "/sub"), recursive: true);
        PlantSymlink(box.PristineOf(App + "/sub"), victim);

        var result = box.Run("state", "restore");
        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stderr.ShouldContain($"ERROR: {Data}: {box.PristineOf(App + "/sub")} is a symlink (to {victim})");
        Path.Exists(box.StateOf(App + "/sub")).ShouldBeFalse();
    }

    [Fact]
    public void Parent_directories_created_under_the_state_root_belong_to_the_owners_of_the_pristine_parents()
    {
        using var box = new StateSandbox();
        StateSandbox.WriteFile(box.PristineOf(Data + "/file"), "seed\n");
        StateSandbox.Sh("chown", $"{Service}:{Service}", box.PristineOf(App));
        StateSandbox.Sh("chown", "2345:3456", box.PristineOf(App + "/sub"));
        File.SetUnixFileMode(box.PristineOf(App + "/sub"), (UnixFileMode)0b111_001_000);
        box.WriteRegistry(Data + ";");

        var result = box.Run("state", "restore");
        result.ExitCode.ShouldBe(0, result.ToString());
        TreeSnapshot.Of(box.StateOf("/var/lib"), withRootMtime: false)[0].ShouldBe(". 40755 0:0 - ");
        TreeSnapshot.Of(box.StateOf(App), withRootMtime: false)[0].ShouldBe($". 40755 {Service}:{Service} - ");
        TreeSnapshot.Of(box.StateOf(App + "/sub"), withRootMtime: false)[0].ShouldBe(". 40710 2345:3456 - ");
        TreeSnapshot.Of(box.StateOf(Data)).ShouldBe(TreeSnapshot.Of(box.PristineOf(Data)));
        StateSandbox.Leftovers(box.StateRoot).ShouldBeEmpty();
    }
}
