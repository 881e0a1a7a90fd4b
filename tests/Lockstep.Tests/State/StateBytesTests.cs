using System.Text.Json;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.State;

/// <summary>
/// A stateful path whose name, or a name inside it, is not UTF-8 is registered, finalized,
/// restored and listed with its bytes (README, "Paths are bytes"): files, directories and symlink
/// targets of the copy keep theirs; the JSON listing and messages show them as \xNN.
/// </summary>
public sealed class StateBytesTests : IDisposable
{
    private readonly ByteTree _tree = new("register-state-path");

    private string Root => _tree.Root;

    public void Dispose() => _tree.Dispose();

    [Theory]
    [MemberData(nameof(ByteShell.Names), MemberType = typeof(ByteShell))]
    public void A_stateful_path_that_is_not_utf8_goes_through_register_finalize_restore_and_list(string name, string shown)
    {
        var setup = Shell("""
            L="$T/live/$n"; mkdir -p "$L/data/sub$n" "$T/state" "$T/pristine"
            printf 'content\n' > "$L/data/sub$n/file$n"
            ln -s "target$n" "$L/data/link$n"
            chmod -R go-w "$T"
            """, name);
        setup.ExitCode.ShouldBe(0, setup.ToString());

        var register = Shell("\"$T/bin/register-state-path\" --leave-symlink \"$T/live/$n/data\"", name);
        var finalize = Shell("\"$LOCKSTEP\" state finalize", name);
        var restore = Shell("\"$LOCKSTEP\" state restore", name);
        foreach (var step in new[] { register, finalize, restore })
        {
            step.ExitCode.ShouldBe(0, step.ToString());
            step.StderrShouldBeEscapedText();
        }

        register.StderrText.ShouldContain($"registered {Root}/live/{shown}/data");
        string live = $"{Root}/live/{name}/data";
        File.ReadAllBytes($"{Root}/pristine/stateful-paths").ShouldBe(ByteShell.Printf($"{live};true\\n"));
        var seeded = Shell("""
            S="$T/state$T/live/$n/data"
            readlink "$T/live/$n/data"; cat "$S/sub$n/file$n"; readlink "$S/link$n"; cat "$T/pristine$T/live/$n/data/sub$n/file$n"
            """, name);
        seeded.ExitCode.ShouldBe(0, seeded.ToString());
        seeded.Stdout.ShouldBe(ByteShell.Printf($"{Root}/state{live}\\ncontent\\ntarget{name}\\ncontent\\n"));

        var list = Shell("\"$LOCKSTEP\" state list --json", name);
        list.ExitCode.ShouldBe(0, list.ToString());
        var path = JsonDocument.Parse(list.Stdout).RootElement.GetProperty("paths")[0];
        path.GetProperty("path").GetString().ShouldBe($"{Root}/live/{shown}/data");
        path.GetProperty("condition").GetString().ShouldBe("seeded");
        path.GetProperty("symlink").GetString().ShouldBe("correct");
    }

    private ByteResult Shell(string command, string name) => _tree.Shell(command, name, new Dictionary<string, string>
    {
        ["LOCKSTEP_STATE_ROOT"] = Path.Combine(Root, "state"),
        ["LOCKSTEP_PRISTINE_DIR"] = Path.Combine(Root, "pristine"),
    });
}
