using System.Globalization;

namespace Lockstep.Tests.Rollout;

/// <summary>
/// One line of a rollout's shared timeline: <c>SECONDS HOST UPDATE WHAT EVENT PID</c>, appended
/// under an exclusive flock so lines never interleave and the file's order is the order in which
/// they happened. Scripts write <c>WHAT</c> = their step and <c>EVENT</c> = start, end (completed)
/// or fail; reboot_cmd writes <c>reboot</c>; the simulator writes <c>kill</c> (EVENT = the kind of
/// kill), <c>fix</c> (the operator repaired the step in EVENT) and, with host <c>-</c>,
/// <c>fault</c> (EVENT = the engine fault).
/// </summary>
public sealed record TimelineEvent(int Index, double Time, string Host, int Update, string What, string Event, int Pid)
{
    public const string Kill = "kill";
    public const string Fix = "fix";
    public const string Fault = "fault";
    public const string Reboot = "reboot";
    public const string Start = "start";
    public const string End = "end";
    public const string Fail = "fail";

    /// <summary>The line as written to the timeline file.</summary>
    public static string Format(double time, string host, int update, string what, string @event, int pid) =>
        string.Create(CultureInfo.InvariantCulture, $"{time:F6} {host} {update} {what} {@event} {pid}");

    /// <summary>The lines of a timeline in file order; a line that does not parse is an error naming it.</summary>
    public static List<TimelineEvent> Parse(IEnumerable<string> lines)
    {
        var events = new List<TimelineEvent>();
        foreach (string line in lines)
        {
            if (line.Length == 0)
            {
                continue;
            }

            string[] f = line.Split(' ');
            if (f.Length != 6
                || !double.TryParse(f[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double time)
                || !int.TryParse(f[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int update)
                || !int.TryParse(f[5], NumberStyles.Integer, CultureInfo.InvariantCulture, out int pid))
            {
                throw new FormatException($"timeline line {events.Count + 1} is not 'SECONDS HOST UPDATE WHAT EVENT PID': '{line}'");
            }

            events.Add(new TimelineEvent(events.Count + 1, time, f[1], update, f[3], f[4], pid));
        }

        return events;
    }
}
