using Lockstep.Tests.Support;

namespace Lockstep.Tests.Parts;

/// <summary>
/// Paths are bytes (README, "Paths are bytes"): a script directory, a directory above it, a script
/// or an environment file whose name is not UTF-8 is found and run as the real dib-run-parts
/// (python3-dib-utils' /usr/bin/dib-run-parts, side by side, in the C locale) finds and runs it, and
/// Lockstep's messages show such bytes as \xNN. Each case is one class of byte sequence that is not
/// UTF-8, plus valid UTF-8 beside it.
/// </summary>
public sealed class RunPartsBytesTests : IDisposable
{
    private const string RealDibRunParts = "/usr/bin/dib-run-parts";

    // A script that records how it was called ($0) and what environment.d gave it.
    private const string Fixture = """
        script() { printf '#!/bin/sh\nprintf "%%s|%%s\\n" "$0" "${FROM_ENV:-}" >> "$LOG"\n' > "$1"; chmod 755 "$1"; }
        """;

    private readonly ByteTree _tree = new("dib-run-parts");

    public RunPartsBytesTests() =>
        File.Exists(RealDibRunParts).ShouldBeTrue($"{RealDibRunParts} is missing: install python3-dib-utils (./tools/test does)");

    private string Root => _tree.Root;

    public void Dispose() => _tree.Dispose();

    [Theory]
    [MemberData(nameof(ByteShell.Names), MemberType = typeof(ByteShell))]
    public void A_script_directory_whose_name_is_not_utf8_runs_as_with_dib_run_parts(string name, string shown) =>
        RunsAsTheOriginal("$T/$n", name, shown);

    [Theory]
    [MemberData(nameof(ByteShell.Names), MemberType = typeof(ByteShell))]
    public void A_script_directory_below_a_directory_whose_name_is_not_utf8_runs_as_with_dib_run_parts(string name, string shown) =>
        RunsAsTheOriginal("$T/$n/deeper/parts", name, shown);

    [Theory]
    [MemberData(nameof(ByteShell.Names), MemberType = typeof(ByteShell))]
    public void A_script_whose_name_is_not_utf8_runs_when_RUN_PARTS_REGEX_accepts_it_and_is_skipped_by_the_default(string name, string shown)
    {
        Setup(name, """
            d="$T/parts"; mkdir -p "$d"
            script "$d/10-first"; script "$d/20-$n"; script "$d/30-x$n"
            """);
        const string Dir = "\"$T/parts\"";

        foreach (string? regex in new[] { "^[0-9]+-", null })
        {
            var extra = regex is null ? [] : new[] { ("RUN_PARTS_REGEX", regex) };
            var real = Run($"{RealDibRunParts} --list {Dir}", name, "real.log", extra);
            var ours = Run($"\"$T/bin/dib-run-parts\" --list {Dir}", name, "ours.log", extra);
            ours.Stdout.ShouldBe(real.Stdout, $"RUN_PARTS_REGEX={regex}\n{ours}");
            string[] expected = regex is null ? ["10-first"] : ["10-first", $"20-{name}", $"30-x{name}"];
            ours.Stdout.ShouldBe(ByteShell.Printf(string.Concat(expected.Select(e => $"{Root}/parts/{e}\\n"))));

            var realRun = Run($"{RealDibRunParts} {Dir}", name, "real.log", extra);
            var oursRun = Run($"\"$T/bin/dib-run-parts\" {Dir}", name, "ours.log", extra);
            (oursRun.ExitCode, realRun.ExitCode).ShouldBe((0, 0), $"{oursRun}\n{realRun}");
            Log("ours.log").ShouldBe(Log("real.log"));
            Log("ours.log").ShouldBe(ByteShell.Printf(string.Concat(expected.Select(e => $"{Root}/parts/{e}|\\n"))));
            oursRun.StderrShouldBeEscapedText();
            if (regex is not null)
            {
                oursRun.StderrText.ShouldContain($"Running {Root}/parts/20-{shown}\n");
            }

            File.Delete(Path.Combine(Root, "ours.log"));
            File.Delete(Path.Combine(Root, "real.log"));
        }
    }

    [Theory]
    [MemberData(nameof(ByteShell.Names), MemberType = typeof(ByteShell))]
    public void Messages_show_bytes_that_are_not_utf8_escaped(string name, string shown)
    {
        Setup(name, """
            d="$T/$n"; mkdir -p "$d"
            printf '#!/bin/sh\nexit 3\n' > "$d/10-fails"; chmod 755 "$d/10-fails"
            """);

        var missing = Run("\"$LOCKSTEP\" run-parts \"$T/$n/nope\"", name);
        missing.ExitCode.ShouldBe(1, missing.ToString());
        missing.StderrShouldBeEscapedText();
        missing.StderrText.ShouldContain($"script directory {Root}/{shown}/nope does not exist");

        var failing = Run("\"$LOCKSTEP\" run-parts \"$T/$n\"", name);
        var realFailing = Run($"{RealDibRunParts} \"$T/$n\"", name);
        (failing.ExitCode, realFailing.ExitCode).ShouldBe((3, 3), failing.ToString());
        failing.StderrShouldBeEscapedText();
        failing.StderrText.ShouldContain($"{Root}/{shown}/10-fails failed with exit status 3");

        var usage = Run("\"$LOCKSTEP\" run-parts \"--x$n\" \"$T\"", name);
        usage.ExitCode.ShouldBe(2, usage.ToString());
        usage.StderrShouldBeEscapedText();
        usage.StderrText.ShouldContain($"unknown option '--x{shown}'");
    }

    [Theory]
    [MemberData(nameof(ByteShell.Names), MemberType = typeof(ByteShell))]
    public void Lockstep_run_parts_runs_the_same_scripts_as_the_drop_in_name(string name, string shown)
    {
        Setup(name, """
            d="$T/$n/parts"; mkdir -p "$d" "$d/../environment.d"
            script "$d/10-first"
            printf 'export FROM_ENV="$(printf "env\\351")"\n' > "$d/../environment.d/10-env"
            """);

        var result = Run("\"$LOCKSTEP\" run-parts --log-level debug \"$T/$n/parts\"", name, "ours.log");

        result.ExitCode.ShouldBe(0, result.ToString());
        Log("ours.log").ShouldBe(ByteShell.Printf($"{Root}/{name}/parts/10-first|env\\351\\n"));
        result.StderrShouldBeEscapedText();
        result.StderrText.ShouldContain($"sourcing environment file {Root}/{shown}/environment.d/10-env");
    }

    [Theory]
    [MemberData(nameof(ByteShell.Names), MemberType = typeof(ByteShell))]
    public void A_script_whose_interpreter_path_is_not_utf8_runs_as_with_dib_run_parts(string name, string shown)
    {
        Setup(name, """
            mkdir -p "$T/$n/bin" "$T/parts"; cp /bin/sh "$T/$n/bin/sh"
            printf '#!%s\nprintf "%%s\\n" "$0" >> "$LOG"\n' "$T/$n/bin/sh" > "$T/parts/10-a"; chmod 755 "$T/parts/10-a"
            """);

        var real = Run($"{RealDibRunParts} \"$T/parts\"", name, "real.log");
        var ours = Run("\"$T/bin/dib-run-parts\" \"$T/parts\"", name, "ours.log");

        (ours.ExitCode, real.ExitCode).ShouldBe((0, 0), $"{shown}\n{ours}\n{real}");
        Log("ours.log").ShouldBe(Log("real.log"));
        Log("ours.log").ShouldBe(ByteShell.Printf($"{Root}/parts/10-a\\n"));
        ours.StderrShouldBeEscapedText();
    }

    [Fact]
    public void In_the_C_locale_RUN_PARTS_REGEX_sees_each_byte_that_is_not_utf8_as_one_character()
    {
        Setup("", """
            d="$T/parts"; mkdir -p "$d"
            script "$d/10-caf$(printf '\351')"; script "$d/20-caf$(printf '\303\251')"; script "$d/30-caf$(printf '\355\240\200')"
            """);
        var regex = ("RUN_PARTS_REGEX", "^[0-9]+-caf.$");

        var real = Run($"{RealDibRunParts} --list \"$T/parts\"", "", "unused.log", regex);
        var ours = Run("\"$T/bin/dib-run-parts\" --list \"$T/parts\"", "", "unused.log", regex);

        ours.Stdout.ShouldBe(real.Stdout, ours.ToString());
        ours.Stdout.ShouldBe(ByteShell.Printf($"{Root}/parts/10-caf\\351\\n"));
    }

    [Theory]
    [InlineData("p")]
    [InlineData("caf\\351")]
    public void A_word_starting_with_at_is_a_path_not_a_response_file(string name)
    {
        Setup(name, """
            d="$T/@$n"; mkdir -p "$d"
            script "$d/10-first"
            """);

        var real = Run($"cd \"$T\" && {RealDibRunParts} \"@$n\"", name, "real.log");
        var ours = Run("cd \"$T\" && \"$T/bin/dib-run-parts\" \"@$n\"", name, "ours.log");
        var printed = Run("\"$LOCKSTEP\" refresh --base-dir \"@$n\" --print-base", name);

        (ours.ExitCode, real.ExitCode).ShouldBe((0, 0), $"{ours}\n{real}");
        Log("ours.log").ShouldBe(Log("real.log"));
        Log("ours.log").ShouldBe(ByteShell.Printf($"@{name}/10-first|\\n"));
        printed.Stdout.ShouldBe(ByteShell.Printf($"@{name}\\n"), printed.ToString());
    }

    /// <summary>
    /// Scripts in <paramref name="dirExpression"/> (shell text using $n, the name), with
    /// environment.d beside it: one file that exports a value that is not UTF-8 either, one whose
    /// name is not UTF-8 (sourced by neither tool: its name does not match ^[0-9A-Za-z_.-]+$).
    /// </summary>
    private void RunsAsTheOriginal(string dirExpression, string name, string shown)
    {
        Setup(name, $$"""
            d="{{dirExpression}}"; mkdir -p "$d" "$d/../environment.d"
            script "$d/10-first"; script "$d/20-second"
            printf 'export FROM_ENV="$(printf "env\\351")"\n' > "$d/../environment.d/10-env"
            printf 'export FROM_ENV=not-sourced\n' > "$d/../environment.d/20-$n"
            """);
        string dir = $"\"{dirExpression}\"";

        var realList = Run($"{RealDibRunParts} --list {dir}", name);
        var ourList = Run($"\"$T/bin/dib-run-parts\" --list {dir}", name);
        (ourList.ExitCode, realList.ExitCode).ShouldBe((0, 0), $"{ourList}\n{realList}");
        ourList.Stdout.ShouldBe(realList.Stdout);
        string physical = dirExpression.Replace("$T", Root, StringComparison.Ordinal).Replace("$n", name, StringComparison.Ordinal);
        ourList.Stdout.ShouldBe(ByteShell.Printf($"{physical}/10-first\\n{physical}/20-second\\n"));

        var real = Run($"{RealDibRunParts} {dir}", name, "real.log");
        var ours = Run($"\"$T/bin/dib-run-parts\" {dir}", name, "ours.log");
        (ours.ExitCode, real.ExitCode).ShouldBe((0, 0), $"{ours}\n{real}");
        Log("ours.log").ShouldBe(Log("real.log"));
        Log("ours.log").ShouldBe(ByteShell.Printf($"{physical}/10-first|env\\351\\n{physical}/20-second|env\\351\\n"));
        ours.StderrShouldBeEscapedText();
        string shownDir = dirExpression.Replace("$T", Root, StringComparison.Ordinal).Replace("$n", shown, StringComparison.Ordinal);
        ours.StderrText.ShouldContain($"Running {shownDir}/10-first\n");
    }

    private void Setup(string name, string script)
    {
        var setup = _tree.Shell(Fixture + "\n" + script + "\nchmod -R go-w \"$T\"\n", name, Environment());
        setup.ExitCode.ShouldBe(0, setup.ToString());
    }

    private ByteResult Run(string command, string name, string log = "unused.log", params (string Key, string Value)[] extra)
    {
        var environment = Environment();
        environment["LOG"] = Path.Combine(Root, log);
        foreach (var (key, value) in extra)
        {
            environment[key] = value;
        }

        return _tree.Shell(command, name, environment);
    }

    private static Dictionary<string, string> Environment() => new()
    {
        // dib-run-parts' grep treats a line that is not UTF-8 as binary in a UTF-8 locale and drops it;
        // in the C locale every byte is a character, which is what Lockstep does everywhere.
        ["LC_ALL"] = "C",
    };

    private byte[] Log(string file) => File.Exists(Path.Combine(Root, file)) ? File.ReadAllBytes(Path.Combine(Root, file)) : [];
}
