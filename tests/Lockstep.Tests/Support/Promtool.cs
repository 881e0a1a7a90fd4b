using System.Diagnostics;

namespace Lockstep.Tests.Support;

/// <summary>Prometheus' own checker (Debian's prometheus package, installed by tools/test).</summary>
public static class Promtool
{
    /// <summary>Runs <c>promtool check metrics</c> on the file and fails the test with its words unless it accepts it.</summary>
    public static void Accepts(string path)
    {
        var info = new ProcessStartInfo("promtool") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("check");
        info.ArgumentList.Add("metrics");
        using var process = Process.Start(info) ?? throw new InvalidOperationException("promtool did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(File.ReadAllText(path));
        process.StandardInput.Close();
        process.WaitForExit(30_000).ShouldBeTrue("promtool did not finish");
        string said = stdout.Result + stderr.Result;
        process.ExitCode.ShouldBe(0, $"promtool check metrics refused {path}:\n{said}\n--- file\n{File.ReadAllText(path)}");
        said.Trim().ShouldBeEmpty();
    }

    /// <summary>The value of the sample written exactly as <paramref name="sample"/> (name and labels), or null.</summary>
    public static double? Value(string path, string sample)
    {
        foreach (string line in File.ReadAllLines(path))
        {
            if (line.StartsWith(sample + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(sample.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }
}
