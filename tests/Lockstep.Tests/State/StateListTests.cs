using System.Text.Json;

namespace Lockstep.Tests.State;

public sealed class StateListTests
{
    [Fact]
    public void List_shows_each_paths_condition_and_symlink()
    {
        using var box = new StateSandbox();
        string seeded = box.Live + "/seeded";
        string pristineOnly = box.Live + "/pristine-only";
        string missing = box.Live + "/missing";
        string broken = box.Live + "/broken";
        string plain = box.Live + "/plain";
        StateSandbox.WriteFile(box.StateOf(seeded), "s");
        File.CreateSymbolicLink(seeded, box.StateOf(seeded));
        StateSandbox.WriteFile(box.PristineOf(pristineOnly), "p");
        File.CreateSymbolicLink(pristineOnly, box.StateOf(pristineOnly));
        File.CreateSymbolicLink(box.PristineOf(broken), "/no/such/file");
        File.CreateSymbolicLink(broken, "/somewhere/else");
        StateSandbox.WriteFile(plain, "not moved yet");
        box.WriteRegistry(seeded + ";true", pristineOnly + ";true", missing + ";true", broken + ";true", plain + ";true", box.Live + "/unflagged;");

        var text = box.Run("state", "list");
        text.ExitCode.ShouldBe(0, text.ToString());
        var rows = text.Stdout.TrimEnd('\n').Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        rows[0].ShouldBe(["PATH", "CONDITION", "SYMLINK"]);
        rows.Skip(1).Select(r => string.Join(' ', r)).ShouldBe([
            $"{broken} pristine-broken broken",
            $"{missing} missing missing",
            $"{plain} missing not-a-symlink",
            $"{pristineOnly} pristine-only broken",
            $"{seeded} seeded correct",
            $"{box.Live}/unflagged missing -",
        ]);

        var json = box.Run("state", "list", "--json");
        json.ExitCode.ShouldBe(0, json.ToString());
        using var document = JsonDocument.Parse(json.Stdout);
        document.RootElement.GetProperty("state_root").GetString().ShouldBe(box.StateRoot);
        document.RootElement.GetProperty("registry").GetString().ShouldBe(box.Registry);
        var first = document.RootElement.GetProperty("paths")[4];
        first.GetProperty("path").GetString().ShouldBe(seeded);
        first.GetProperty("leave_symlink").GetBoolean().ShouldBeTrue();
        first.GetProperty("condition").GetString().ShouldBe("seeded");
        first.GetProperty("symlink").GetString().ShouldBe("correct");
        first.GetProperty("state_path").GetString().ShouldBe(box.StateOf(seeded));
        first.GetProperty("pristine_path").GetString().ShouldBe(box.PristineOf(seeded));
        document.RootElement.GetProperty("paths")[5].GetProperty("symlink").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public void List_reports_bad_registry_lines_on_stderr_and_still_lists_the_rest()
    {
        using var box = new StateSandbox();
        box.WriteRegistry("/srv/a;", "srv/b;");
        var result = box.Run("state", "list", "--json");
        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stderr.ShouldContain($"{box.Registry}:2: 'srv/b' is not an absolute path");
        using var document = JsonDocument.Parse(result.Stdout);
        document.RootElement.GetProperty("paths").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public void List_of_an_empty_registry_prints_only_the_header()
    {
        using var box = new StateSandbox();
        var result = box.Run("state", "list", "--pristine-dir", box.Root + "/nothing-here");
        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldBe("PATH  CONDITION  SYMLINK\n");
    }
}
