using System.Diagnostics;
using Lockstep.State;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.State;

/// <summary>
/// The swaps a service user can make in a directory it owns while root copies into it, made
/// deterministically from inside the build step, by that user (setpriv), at the worst moment.
/// </summary>
public sealed class StagingTests : IDisposable
{
    private const string Service = "1234";

    private readonly TempDir _dir = new();

    public StagingTests()
    {
        StateSandbox.WriteFile(Pristine + "/data/file", "seed\n");
        StateSandbox.WriteFile(Pristine + "/data/sub/inner", "inner\n");
        Directory.CreateDirectory(Parent);
        Directory.CreateDirectory(Victim, (UnixFileMode)0b111_101_101);
        StateSandbox.Sh("chown", $"{Service}:{Service}", Parent);
    }

    private string Pristine => _dir["pristine"];

    private string Parent => _dir["service-owned"];

    private string Victim => _dir["victim"];

    [Fact]
    public void The_private_directory_swapped_for_a_symlink_mid_build_still_gets_the_copy_and_the_victim_nothing()
    {
        using var parent = DirectoryHandle.Open(Parent);
        using var source = DirectoryHandle.Open(Pristine);

        bool placed = Staging.Place(parent, "data", temp =>
        {
            string stagingDir = Directory.EnumerateDirectories(Parent, Staging.TempPrefix + "*").ShouldHaveSingleItem();
            AsService("mv", stagingDir, Parent + "/moved-away");
            AsService("ln", "-s", Victim, stagingDir);
            Tree.Copy(source, "data", temp);
        });

        placed.ShouldBeTrue();
        Directory.EnumerateFileSystemEntries(Victim).ShouldBeEmpty();
        TreeSnapshot.Of(Parent + "/data").ShouldBe(TreeSnapshot.Of(Pristine + "/data"));
        Directory.EnumerateFileSystemEntries(Parent + "/moved-away").ShouldBeEmpty();
    }

    [Fact]
    public void The_service_user_cannot_enter_the_private_directory_while_the_copy_is_built()
    {
        using var parent = DirectoryHandle.Open(Parent);
        using var source = DirectoryHandle.Open(Pristine);

        Staging.Place(parent, "data", temp =>
        {
            Tree.Copy(source, "data", temp);
            string stagingDir = Directory.EnumerateDirectories(Parent, Staging.TempPrefix + "*").ShouldHaveSingleItem();
            TreeSnapshot.Of(stagingDir, withRootMtime: false)[0].ShouldBe(". 40700 0:0 - ");
            ServiceExitCode("rm", "-rf", stagingDir + "/data/sub").ShouldNotBe(0);
            ServiceExitCode("ln", "-s", Victim, stagingDir + "/data/sub/link").ShouldNotBe(0);
        }).ShouldBeTrue();

        Directory.EnumerateFileSystemEntries(Victim).ShouldBeEmpty();
        TreeSnapshot.Of(Parent + "/data").ShouldBe(TreeSnapshot.Of(Pristine + "/data"));
    }

    [Fact]
    public void A_copy_reads_the_directory_it_opened_even_when_its_path_is_swapped_for_a_symlink()
    {
        File.WriteAllText(Victim + "/secret", "root's\n");
        using var source = DirectoryHandle.Open(Pristine);
        StateSandbox.Sh("mv", Pristine, _dir["pristine-moved"]);
        File.CreateSymbolicLink(Pristine, Victim);
        using var parent = DirectoryHandle.Open(Parent);

        Staging.Place(parent, "data", temp => Tree.Copy(source, "data", temp)).ShouldBeTrue();

        File.ReadAllText(Parent + "/data/file").ShouldBe("seed\n");
        File.Exists(Parent + "/data/secret").ShouldBeFalse();
    }

    [Fact]
    public void Leftovers_are_removed_through_their_directory_without_following_a_symlink_inside()
    {
        File.WriteAllText(Victim + "/keep", "victim's\n");
        string leftover = Parent + "/" + Staging.TempPrefix + "7-abc";
        Directory.CreateDirectory(leftover + "/half");
        File.CreateSymbolicLink(leftover + "/half/link", Victim);
        File.SetUnixFileMode(leftover + "/half", UnixFileMode.UserRead | UnixFileMode.UserExecute);
        using var parent = DirectoryHandle.Open(Parent);

        Staging.RemoveLeftovers(parent).ShouldBe([leftover]);

        Path.Exists(leftover).ShouldBeFalse();
        File.ReadAllText(Victim + "/keep").ShouldBe("victim's\n");
        TreeSnapshot.Of(Victim, withRootMtime: false)[0].ShouldStartWith(". 40755 0:0 ");
    }

    [Fact]
    public void A_leftover_nested_deeper_than_any_copy_is_refused_with_one_line_instead_of_exhausting_fds_or_the_stack()
    {
        const int Depth = 2100;
        using var parent = DirectoryHandle.Open(Parent);
        string leftover = Staging.TempPrefix + "8-deep";
        var chain = new List<DirectoryHandle>();
        try
        {
            var current = parent;
            foreach (string name in Enumerable.Repeat("d", Depth).Prepend(leftover))
            {
                PosixFs.MkdirAt(current.Fd, name, 0b111_000_000, current.PathOf(name));
                current = current.OpenChild(name);
                chain.Add(current);
            }

            var error = Should.Throw<IOException>(() => Staging.RemoveLeftovers(parent));
            error.Message.ShouldContain("is nested deeper than any copy lockstep makes");

            // Halve the tree so that removing it by path stays within PATH_MAX.
            PosixFs.TryRenameNoReplace(chain[Depth / 2].Fd, "d", parent.Fd, "lower-half").ShouldBe(0);
        }
        finally
        {
            chain.ForEach(h => h.Dispose());
        }

        Directory.Delete(Parent + "/lower-half", recursive: true);
        Directory.Delete(Parent + "/" + leftover, recursive: true);
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>Runs a tool as the service user, as that user could at any moment; insists it succeeds.</summary>
    private static void AsService(params string[] args) => ServiceExitCode(args).ShouldBe(0, string.Join(' ', args));

    private static int ServiceExitCode(params string[] args)
    {
        var info = new ProcessStartInfo("setpriv") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in (string[])[$"--reuid={Service}", $"--regid={Service}", "--clear-groups", .. args])
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }
}
