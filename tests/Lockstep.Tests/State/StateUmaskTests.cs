using Lockstep.Tests.Support;

namespace Lockstep.Tests.State;

/// <summary>
/// The directories <c>lockstep state</c> creates (the pristine store holding the registry, the
/// state root) get mode 0755 whatever the caller's umask: with umask 000 they used to be 0777, and
/// anyone could then replace the registry that says what root moves and copies.
/// </summary>
public sealed class StateUmaskTests
{
    private static CliResult WithUmask(StateSandbox box, string umask, params string[] args) =>
        LockstepCli.RunWith(box.Options() with { Executable = "/bin/sh" }, ["-c", $"umask {umask}; exec \"$0\" \"$@\"", LockstepCli.Binary, .. args]);

    private static string Mode(string path) => Convert.ToString((int)File.GetUnixFileMode(path), 8);

    [Theory]
    [InlineData("000")]
    [InlineData("077")]
    public void The_pristine_store_and_the_state_root_are_created_0755_whatever_the_umask(string umask)
    {
        using var box = new StateSandbox();
        string pristine = box.Root + "/new/pristine";
        string stateRoot = box.Root + "/fresh/state";
        string path = StateSandbox.WriteFile(box.Live + "/srv/data/file", "a\n");
        string[] roots = ["--pristine-dir", pristine, "--state-root", stateRoot];

        WithUmask(box, umask, ["state", "register", .. roots, box.Live + "/srv/data"]).ExitCode.ShouldBe(0);
        var finalized = WithUmask(box, umask, ["state", "finalize", .. roots]);
        finalized.ExitCode.ShouldBe(0, finalized.ToString());
        var restored = WithUmask(box, umask, ["state", "restore", .. roots]);
        restored.ExitCode.ShouldBe(0, restored.ToString());

        foreach (string dir in new[] { box.Root + "/new", pristine, box.Root + "/fresh", stateRoot })
        {
            Mode(dir).ShouldBe("755", dir);
        }

        Mode(pristine + "/stateful-paths").ShouldBe("644");
        File.ReadAllText(stateRoot + path).ShouldBe("a\n");
    }
}
