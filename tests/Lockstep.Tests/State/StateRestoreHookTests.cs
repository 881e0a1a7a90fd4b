using Lockstep.Tests.Support;

namespace Lockstep.Tests.State;

public sealed class StateRestoreHookTests
{
    [Fact]
    public void The_example_pre_configure_hook_restores_state_when_run_as_a_refresh_phase()
    {
        using var box = new StateSandbox();
        StateSandbox.WriteFile(box.PristineOf("/var/lib/postgresql/16/main/PG_VERSION"), "16\n");
        box.WriteRegistry("/var/lib/postgresql/16/main;true");
        string hooks = Path.Combine(LockstepCli.RepositoryRoot(), "examples", "state", "pre-configure.d");
        var options = box.Options();
        options.Environment["PATH"] = $"{Path.GetDirectoryName(LockstepCli.Binary)}:{Environment.GetEnvironmentVariable("PATH")}";

        var result = LockstepCli.RunWith(options, "run-parts", hooks);
        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stderr.ShouldContain("00-lockstep-state-restore completed");
        File.ReadAllText(box.StateOf("/var/lib/postgresql/16/main/PG_VERSION")).ShouldBe("16\n");
    }
}
