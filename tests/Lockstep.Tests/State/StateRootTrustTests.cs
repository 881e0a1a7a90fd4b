namespace Lockstep.Tests.State;

/// <summary>
/// The state root, the pristine store and the registry are held to the rule for configuration
/// (README, "Which paths Lockstep trusts"): if another user owns or may write one of them, a
/// directory above it, or a symlink to it, a state command refuses with one line (exit 1) before
/// it reads, copies or writes anything.
/// </summary>
public sealed class StateRootTrustTests
{
    public static TheoryData<string, string, string> Refusals()
    {
        var data = new TheoryData<string, string, string>();
        string[] ways = ["owned", "writable", "above", "symlink"];
        foreach (var (command, roots) in new[]
        {
            ("restore", new[] { "state root", "pristine store", "registry" }),
            ("finalize", new[] { "pristine store", "registry" }),
            ("register", new[] { "registry" }),
        })
        {
            foreach (string root in roots)
            {
                foreach (string way in ways)
                {
                    data.Add(command, root, way);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_root_another_user_could_change_is_refused_before_anything_is_touched(string command, string root, string way)
    {
        using var box = new StateSandbox();
        string app = box.Live + "/srv/app";
        if (command == "restore")
        {
            StateSandbox.WriteFile(box.PristineOf(app) + "/db", "pristine\n");
        }
        else
        {
            StateSandbox.WriteFile(app + "/db", "live\n");
        }

        box.WriteRegistry(app + ";true");
        var roots = new Dictionary<string, string>
        {
            ["state root"] = box.StateRoot,
            ["pristine store"] = box.PristineDir,
            ["registry"] = box.Registry,
        };
        string given = Undermine(box, roots[root], way);
        roots[root] = given;
        if (root == "pristine store")
        {
            roots["registry"] = given + "/stateful-paths";
        }

        var before = TreeSnapshot.Of(box.Root);

        string[] args = command == "register" ? ["state", "register", box.Live + "/srv/other"] : ["state", command];
        var result = box.Run([.. args, "--state-root", roots["state root"], "--pristine-dir", roots["pristine store"], "--registry", roots["registry"]]);

        result.ExitCode.ShouldBe(1, result.ToString());
        string line = result.Stderr.Trim().Split('\n').ShouldHaveSingleItem(result.ToString());
        line.ShouldContain($"{root} {given} ");
        line.ShouldContain(way switch
        {
            "owned" => $"{root} {given} is owned by uid 65534, not root or the caller (uid 0); refusing to use it (chown it)",
            "writable" => $"is writable by group and others (mode 0{(root == "registry" ? "666" : "777")}); refusing to use it (chmod go-w '{given}')",
            "above" => $"is reached through directory {Path.GetDirectoryName(given)}, which is owned by uid 65534, not root or the caller (uid 0): that user could swap the {root} for their own; chown it",
            _ => $"is reached through symlink {given}, which is owned by uid 65534, not root or the caller (uid 0): lockstep does not follow a symlink another user could have planted",
        });
        TreeSnapshot.Of(box.Root).ShouldBe(before);
    }

    [Fact]
    public void Roots_in_a_sticky_directory_and_through_roots_symlinks_still_work()
    {
        using var box = new StateSandbox();
        string shared = box.Root + "/shared";
        Directory.CreateDirectory(shared);
        File.SetUnixFileMode(shared, (UnixFileMode)0b1_111_111_111);
        Directory.Move(box.StateRoot, shared + "/state");
        Directory.Move(box.PristineDir, shared + "/pristine");
        File.CreateSymbolicLink(box.StateRoot, shared + "/state");
        string app = box.Live + "/srv/app";
        StateSandbox.WriteFile(app + "/db", "live\n");

        box.Run("state", "register", "--leave-symlink", app, "--pristine-dir", shared + "/pristine").ExitCode.ShouldBe(0);
        var finalize = box.Run("state", "finalize", "--pristine-dir", shared + "/pristine");
        finalize.ExitCode.ShouldBe(0, finalize.ToString());
        var restore = box.Run("state", "restore", "--pristine-dir", shared + "/pristine");

        restore.ExitCode.ShouldBe(0, restore.ToString());
        restore.Stderr.ShouldContain($"seeded {box.StateOf(app)}");
        File.ReadAllText(shared + "/state" + app + "/db").ShouldBe("live\n");
        File.ReadAllText(app + "/db").ShouldBe("live\n");
    }

    [Fact]
    public void A_state_root_of_slash_still_works()
    {
        using var box = new StateSandbox();
        string app = box.Live + "/srv/app";
        StateSandbox.WriteFile(box.PristineOf(app) + "/db", "pristine\n");
        box.WriteRegistry(app + ";");

        var result = box.Run("state", "restore", "--state-root", "/");

        result.ExitCode.ShouldBe(0, result.ToString());
        File.ReadAllText(app + "/db").ShouldBe("pristine\n");
    }

    [Fact]
    public void A_sticky_state_root_is_refused_since_anyone_could_create_what_restore_walks_into()
    {
        using var box = new StateSandbox();
        File.SetUnixFileMode(box.StateRoot, (UnixFileMode)0b1_111_111_111);
        string app = box.Live + "/srv/app";
        StateSandbox.WriteFile(box.PristineOf(app) + "/db", "pristine\n");
        box.WriteRegistry(app + ";");

        var result = box.Run("state", "restore");

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem()
            .ShouldContain($"state root {box.StateRoot} is writable by group and others (mode 1777); refusing to use it (chmod go-w '{box.StateRoot}')");
        Directory.EnumerateFileSystemEntries(box.StateRoot).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("restore", "state root")]
    [InlineData("restore", "pristine store")]
    [InlineData("finalize", "pristine store")]
    [InlineData("restore", "registry")]
    [InlineData("register", "registry")]
    public void A_root_not_made_yet_where_another_user_could_make_it_first_is_refused(string command, string root)
    {
        // Passed by the check and made by nobody before root used it, it would be nobody's to change.
        using var box = new StateSandbox();
        string app = box.Live + "/srv/app";
        StateSandbox.WriteFile(box.PristineOf(app) + "/db", "pristine\n");
        StateSandbox.WriteFile(app + "/db", "live\n");
        box.WriteRegistry(app + ";true");
        string shared = box.Root + "/shared";
        Directory.CreateDirectory(shared);
        File.SetUnixFileMode(shared, (UnixFileMode)0b1_111_111_111);
        var roots = new Dictionary<string, string>
        {
            ["state root"] = box.StateRoot,
            ["pristine store"] = box.PristineDir,
            ["registry"] = box.Registry,
        };
        string missing = root == "registry" ? shared + "/not-yet/stateful-paths" : shared + "/not-yet";
        roots[root] = missing;
        if (root == "pristine store")
        {
            roots["registry"] = box.Registry;
        }

        var before = TreeSnapshot.Of(box.Root);

        string[] args = command == "register" ? ["state", "register", box.Live + "/srv/other"] : ["state", command];
        var result = box.Run([.. args, "--state-root", roots["state root"], "--pristine-dir", roots["pristine store"], "--registry", roots["registry"]]);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stderr.Trim().Split('\n').ShouldHaveSingleItem(result.ToString()).ShouldContain(
            $"{root} {missing} does not exist, and {shared} (mode 1777, uid 0) lets another user create it first; create it as root (mode 0755) or choose a path below a directory only root can write");
        TreeSnapshot.Of(box.Root).ShouldBe(before);
    }

    [Fact]
    public void A_root_not_made_yet_below_a_directory_only_root_can_write_is_made_by_root()
    {
        using var box = new StateSandbox();
        string app = box.Live + "/srv/app";
        StateSandbox.WriteFile(box.PristineOf(app) + "/db", "pristine\n");
        box.WriteRegistry(app + ";");
        string fresh = box.Root + "/mnt/state";

        var result = box.Run("state", "restore", "--state-root", fresh);

        result.ExitCode.ShouldBe(0, result.ToString());
        File.ReadAllText(fresh + app + "/db").ShouldBe("pristine\n");
    }

    /// <summary>Makes <paramref name="path"/> changeable by nobody (uid 65534) in the given way; returns the path to give lockstep.</summary>
    private static string Undermine(StateSandbox box, string path, string way)
    {
        switch (way)
        {
            case "owned":
                StateSandbox.Sh("chown", "65534", path);
                return path;
            case "writable":
                StateSandbox.Sh("chmod", Directory.Exists(path) ? "0777" : "0666", path);
                return path;
            case "above":
                string above = box.Root + "/above";
                Directory.CreateDirectory(above);
                string moved = above + "/" + Path.GetFileName(path);
                StateSandbox.Sh("mv", path, moved);
                StateSandbox.Sh("chown", "65534", above);
                return moved;
            default:
                // Planted in a sticky directory anyone may write, as /tmp, to the very root lockstep would use.
                string shared = box.Root + "/shared";
                Directory.CreateDirectory(shared);
                File.SetUnixFileMode(shared, (UnixFileMode)0b1_111_111_111);
                string link = shared + "/" + Path.GetFileName(path);
                StateSandbox.Sh("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "ln", "-s", path, link);
                return link;
        }
    }
}
