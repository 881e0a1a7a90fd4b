using Lockstep.Tests.Support;

namespace Lockstep.Tests.Update;

/// <summary>Temporary state files a kill left before their rename are removed by the next run; a live writer's is kept.</summary>
public sealed class UpdateLeftoverTests : IDisposable
{
    private readonly UpdateHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public void Temporary_state_files_of_dead_writers_are_removed_by_the_next_run_and_a_live_writers_kept()
    {
        string var = _host.Dir.Dir("var");
        // pid_max is at most 2^22: these pids cannot be running.
        string[] dead = [".update.state.tmp-4194305-0a1b", ".update.state.tmp-4194306-ffff", ".update.state.tmp-4194307-1234"];
        foreach (string name in dead)
        {
            File.WriteAllText(Path.Combine(var, name), "{\"format\":");
        }

        string live = $".update.state.tmp-{Environment.ProcessId}-beef";
        File.WriteAllText(Path.Combine(var, live), "{");
        string other = Path.Combine(var, ".other.tmp-4194305-0000");
        File.WriteAllText(other, "not ours");

        var result = _host.Update(new() { ["NO_UPDATES"] = "1" });

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stderr.ShouldContain($"removed 3 temporary state file(s) a killed run left beside {_host.StatePath}");
        foreach (string name in dead)
        {
            File.Exists(Path.Combine(var, name)).ShouldBeFalse(name);
        }

        File.Exists(Path.Combine(var, live)).ShouldBeTrue();
        File.Exists(other).ShouldBeTrue();
    }
}
