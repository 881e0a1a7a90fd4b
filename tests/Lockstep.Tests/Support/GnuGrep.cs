using System.Diagnostics;
using System.Text;

namespace Lockstep.Tests.Support;

/// <summary>What GNU grep -E made of a pattern: its status (2: rejected) and the lines it printed.</summary>
public sealed record GrepResult(int ExitCode, IReadOnlyList<string> Matched, string Stderr);

/// <summary>The real GNU grep -E, as dib-run-parts runs it, in a locale of the test's choosing.</summary>
public static class GnuGrep
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Runs <c>grep -E -- PATTERN</c> with LC_ALL=<paramref name="locale"/> on the names, one a line (UTF-8 bytes).</summary>
    public static GrepResult Run(string pattern, IEnumerable<string> names, string locale)
    {
        var info = new ProcessStartInfo("grep")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = Utf8,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
        };

        // -a: a name with bytes the locale cannot decode is still a line, not "binary file matches".
        foreach (string arg in new[] { "-a", "-E", "--", pattern })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["LC_ALL"] = locale;
        using var grep = Process.Start(info) ?? throw new InvalidOperationException("grep did not start");
        var stdout = grep.StandardOutput.ReadToEndAsync();
        var stderr = grep.StandardError.ReadToEndAsync();
        try
        {
            foreach (string name in names)
            {
                grep.StandardInput.Write(name + "\n");
            }

            grep.StandardInput.Close();
        }
        catch (IOException)
        {
            // A pattern grep rejects ends it before it reads a line.
        }

        grep.WaitForExit();
        var matched = stdout.Result.Split('\n', StringSplitOptions.None).SkipLast(1).ToList();
        return new GrepResult(grep.ExitCode, matched, stderr.Result);
    }
}
