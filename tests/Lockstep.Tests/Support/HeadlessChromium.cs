using System.Diagnostics;

namespace Lockstep.Tests.Support;

/// <summary>What Debian's chromium made of a page: the DOM after loading, and what the page logged to the console.</summary>
public sealed record RenderedPage(string Dom, IReadOnlyList<string> ConsoleMessages);

/// <summary>
/// Opens a file in Debian's chromium, headless, with a fresh profile and nothing that reaches the
/// network, and returns its DOM and console messages (installed by ./tools/test).
/// </summary>
public static class HeadlessChromium
{
    public const string Binary = "/usr/bin/chromium";

    public static RenderedPage Open(string file) => Run(file, "--dump-dom").Page;

    /// <summary>Takes a PNG of the page (width 1200).</summary>
    public static void Screenshot(string file, string png, int height) => Run(file, $"--screenshot={png}", $"--window-size=1200,{height}", "--hide-scrollbars");

    private static (RenderedPage Page, int Exit) Run(string file, params string[] extra)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: install chromium (./tools/test does)");
        }

        using var profile = new TempDir();
        var info = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string[])[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--enable-logging=stderr", "--v=0", $"--user-data-dir={profile.Path}", .. extra, new Uri(Path.GetFullPath(file)).AbsoluteUri])
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("chromium did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("chromium did not finish within 60 s");
        }

        process.WaitForExit();
        // Console messages (errors, CSP refusals) are logged as "...:CONSOLE..." lines with --enable-logging.
        var console = stderr.Result.Split('\n').Where(l => l.Contains("CONSOLE", StringComparison.Ordinal)).ToList();
        process.ExitCode.ShouldBe(0, stderr.Result);
        return (new RenderedPage(stdout.Result, console), process.ExitCode);
    }
}
