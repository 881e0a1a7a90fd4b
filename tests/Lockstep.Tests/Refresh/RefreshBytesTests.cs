using System.Text.Json;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.Refresh;

/// <summary>
/// A base directory, lockfile and state directory whose paths are not UTF-8 work as any other
/// (README, "Paths are bytes"), given by --base-dir, by $OS_REFRESH_CONFIG_BASE_DIR or to the
/// os-refresh-config drop-in; run records and messages show the bytes as \xNN.
/// </summary>
public sealed class RefreshBytesTests : IDisposable
{
    private readonly ByteTree _tree = new("os-refresh-config");

    private string Root => _tree.Root;

    public void Dispose() => _tree.Dispose();

    [Theory]
    [MemberData(nameof(ByteShell.Names), MemberType = typeof(ByteShell))]
    public void A_base_directory_that_is_not_utf8_runs_its_phases_however_it_is_given(string name, string shown)
    {
        var setup = Shell("""
            mkdir -p "$T/$n/base/configure.d"
            printf '#!/bin/sh\nprintf "%%s\\n" "$0" >> "$T/ran"\n' > "$T/$n/base/configure.d/10-a"
            chmod 755 "$T/$n/base/configure.d/10-a"
            chmod -R go-w "$T"
            """, name);
        setup.ExitCode.ShouldBe(0, setup.ToString());
        const string Options = "--lockfile \"$T/$n/lock\" --state-dir \"$T/$n/state\"";

        var byOption = Shell($"\"$LOCKSTEP\" refresh --base-dir \"$T/$n/base\" {Options}", name);
        var byVariable = Shell($"OS_REFRESH_CONFIG_BASE_DIR=\"$T/$n/base\" \"$LOCKSTEP\" refresh {Options}", name);
        var asDropIn = Shell($"\"$T/bin/os-refresh-config\" --base-dir \"$T/$n/base\" {Options}", name);

        foreach (var result in new[] { byOption, byVariable, asDropIn })
        {
            result.ExitCode.ShouldBe(0, result.ToString());
            result.StderrShouldBeEscapedText();
            result.StderrText.ShouldContain($"Running {Root}/{shown}/base/configure.d/10-a\n");
        }

        string script = $"{Root}/{name}/base/configure.d/10-a\\n";
        File.ReadAllBytes(Path.Combine(Root, "ran")).ShouldBe(ByteShell.Printf(script + script + script));

        var history = Shell("\"$LOCKSTEP\" history --json --state-dir \"$T/$n/state\"", name);
        history.ExitCode.ShouldBe(0, history.ToString());
        var records = JsonDocument.Parse(history.Stdout).RootElement.EnumerateArray().ToList();
        records.Count.ShouldBe(3);
        records.ShouldAllBe(r => r.GetProperty("base_dir").GetString() == $"{Root}/{shown}/base");
        records[0].GetProperty("phases")[1].GetProperty("scripts")[0].GetProperty("path").GetString().ShouldBe($"{Root}/{shown}/base/configure.d/10-a");
    }

    [Theory]
    [MemberData(nameof(ByteShell.Names), MemberType = typeof(ByteShell))]
    public void Relative_paths_are_resolved_in_a_working_directory_that_is_not_utf8(string name, string shown)
    {
        var setup = Shell("mkdir -p \"$T/$n/base/configure.d\" && chmod -R go-w \"$T\"", name);
        setup.ExitCode.ShouldBe(0, setup.ToString());

        var result = Shell("cd \"$T/$n\" && \"$LOCKSTEP\" refresh --base-dir base --lockfile lock --state-dir state --metrics-file m.prom", name);
        var written = Shell("cd \"$T/$n\" && ls lock state/runs/*.json m.prom", name);

        result.ExitCode.ShouldBe(0, $"{shown}\n{result}");
        written.ExitCode.ShouldBe(0, $"{shown}\n{written}");
    }

    [Theory]
    [MemberData(nameof(ByteShell.Names), MemberType = typeof(ByteShell))]
    public void The_base_directory_is_printed_with_its_bytes(string name, string shown)
    {
        var byOption = Shell("\"$LOCKSTEP\" refresh --base-dir \"$T/$n\" --print-base", name);
        var byVariable = Shell("OS_REFRESH_CONFIG_BASE_DIR=\"$T/$n\" \"$LOCKSTEP\" refresh --print-base", name);

        byOption.Stdout.ShouldBe(ByteShell.Printf($"{Root}/{name}\\n"), shown);
        byVariable.Stdout.ShouldBe(byOption.Stdout, shown);
    }

    private ByteResult Shell(string command, string name) => _tree.Shell(command, name);
}
