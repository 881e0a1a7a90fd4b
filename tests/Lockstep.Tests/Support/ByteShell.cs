using System.Diagnostics;
using System.Text;

namespace Lockstep.Tests.Support;

/// <summary>What a shell run left: its status and its output as raw bytes (file names that are not UTF-8 stay as they are).</summary>
public sealed record ByteResult(int ExitCode, byte[] Stdout, byte[] Stderr)
{
    /// <summary>stderr for assertions on text; a byte that is not UTF-8 shows as U+FFFD here, which assertions look for.</summary>
    public string StderrText => Encoding.UTF8.GetString(Stderr);

    /// <summary>Lockstep's own lines are text: no raw byte that is not UTF-8, no U+FFFD standing in for one (README, "Paths are bytes").</summary>
    public void StderrShouldBeEscapedText()
    {
        System.Text.Unicode.Utf8.IsValid(Stderr).ShouldBeTrue(StderrText);
        StderrText.ShouldNotContain("\uFFFD");
    }

    public override string ToString() =>
        $"exit {ExitCode}\n--- stdout\n{Encoding.UTF8.GetString(Stdout)}\n--- stderr\n{StderrText}";
}

/// <summary>
/// Runs a /bin/sh script, for tests whose paths are not UTF-8: .NET cannot name such a file nor
/// pass such an argument (ProcessStartInfo encodes its strings as UTF-8), the shell can, with
/// <c>printf '\351'</c>. The script sees <c>$LOCKSTEP</c> (the binary under test) and the given
/// variables; the variables tests must not inherit are removed as <see cref="LockstepCli"/> does.
/// </summary>
public static class ByteShell
{
    /// <summary>
    /// Names that are not UTF-8, one class of bad sequence each, as printf formats, and how
    /// Lockstep's messages show them.
    /// </summary>
    public static TheoryData<string, string> Names => new()
    {
        { "caf\\351", "caf\\xe9" },                  // a Latin-1 byte
        { "\\200x", "\\x80x" },                       // a lone continuation byte
        { "a\\300\\257b", "a\\xc0\\xafb" },           // an overlong '/': must not become a separator
        { "\\355\\240\\200", "\\xed\\xa0\\x80" },     // a UTF-16 surrogate encoded in UTF-8
        { "x\\342\\202", "x\\xe2\\x82" },             // a sequence cut short
        { "\\303\\251t\\351", "\u00e9t\\xe9" },       // valid UTF-8 (é) beside a Latin-1 byte
        { "\\377\\376", "\\xff\\xfe" },               // bytes that never occur in UTF-8
    };

    /// <summary>printf's expansion of <paramref name="format"/> (octal escapes, \\n): the bytes a test means.</summary>
    public static byte[] Printf(string format)
    {
        var result = Run("printf \"$F\"", new Dictionary<string, string> { ["F"] = format.Replace("%", "%%", StringComparison.Ordinal) });
        result.ExitCode.ShouldBe(0, result.ToString());
        return result.Stdout;
    }

    public static ByteResult Run(string script, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-euc");
        info.ArgumentList.Add(script);
        info.ArgumentList.Add("sh");
        info.Environment.Remove("RUN_PARTS_REGEX");
        info.Environment.Remove("LOCKSTEP_LOG_LEVEL");
        info.Environment.Remove("OS_REFRESH_CONFIG_BASE_DIR");
        info.Environment["LOCKSTEP"] = LockstepCli.Binary;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("/bin/sh did not start");
        process.StandardInput.Close();
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        var copies = Task.WhenAll(process.StandardOutput.BaseStream.CopyToAsync(stdout), process.StandardError.BaseStream.CopyToAsync(stderr));
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the shell script did not finish within 60 s:\n{script}");
        }

        copies.Wait();
        process.WaitForExit();
        return new ByteResult(process.ExitCode, stdout.ToArray(), stderr.ToArray());
    }
}
