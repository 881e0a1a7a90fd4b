using System.Globalization;
using System.Text;
using Lockstep.Logging;

namespace Lockstep.Parts;

/// <summary>dib-run-parts' PROFILING block: each script and its seconds, in execution order.</summary>
public static class TimingTable
{
    public static string Format(string target, IReadOnlyList<PartRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var text = new StringBuilder();
        text.Append("----------------------- PROFILING -----------------------\n");
        text.Append(CultureInfo.InvariantCulture, $"Target: {Printable.Escape(target)}\n");
        text.Append(CultureInfo.InvariantCulture, $"{"Script",-40} {"Seconds",10}\n");
        text.Append(CultureInfo.InvariantCulture, $"{new string('-', 40)} {new string('-', 10)}\n");
        foreach (var run in runs)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Printable.Escape(run.Part.Name),-40} {run.Duration.TotalSeconds,10:0.000}\n");
        }

        text.Append("--------------------- END PROFILING ---------------------\n");
        return text.ToString();
    }
}
