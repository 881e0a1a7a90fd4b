using System.Diagnostics;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.State;

public sealed class StateRestoreKillTests
{
    private const string Data = "/srv/big";

    [Fact]
    public void A_restore_killed_mid_copy_leaves_nothing_half_seeded_and_the_next_run_completes_it()
    {
        using var box = new StateSandbox();
        string pristine = box.PristineOf(Data);
        for (int d = 0; d < 20; d++)
        {
            Directory.CreateDirectory($"{pristine}/d{d}");
            for (int f = 0; f < 100; f++)
            {
                File.WriteAllText($"{pristine}/d{d}/f{f}", $"{d}/{f}\n");
            }
        }

        File.WriteAllBytes($"{pristine}/d0/large", new byte[32 * 1024 * 1024]);
        box.WriteRegistry(Data + ";");
        string parent = box.StateRoot + "/srv";

        using (var restore = LockstepCli.Start(box.Options(), "state", "restore"))
        {
            var clock = Stopwatch.StartNew();
            while (!InProgress(parent))
            {
                restore.HasExited.ShouldBeFalse("restore finished before its copy was seen in progress: make the tree larger");
                clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30), "no temporary copy appeared");
                Thread.Sleep(1);
            }

            restore.Kill();
            restore.WaitForExit();
        }

        // Really mid-way: the copy was under its temporary name, the target never appeared.
        Path.Exists(box.StateOf(Data)).ShouldBeFalse();
        StateSandbox.Leftovers(box.StateRoot).ShouldNotBeEmpty();

        var again = box.Run("state", "restore");
        again.ExitCode.ShouldBe(0, again.ToString());
        again.Stderr.ShouldContain("left by an interrupted run");
        TreeSnapshot.Of(box.StateOf(Data)).ShouldBe(TreeSnapshot.Of(pristine));
        StateSandbox.Leftovers(box.StateRoot).ShouldBeEmpty();
    }

    private static bool InProgress(string dir) =>
        Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir, ".lockstep-tmp-*", new EnumerationOptions { AttributesToSkip = 0 }).Any();
}
