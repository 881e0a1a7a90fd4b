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
}
