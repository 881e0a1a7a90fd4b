using System.Runtime.InteropServices;

namespace Lockstep.Processes;

/// <summary>
/// Children run in their own process group, so a terminal's Ctrl-C or systemd's TERM reaches only
/// Lockstep; this passes those signals on to the running group and remembers that the run must stop.
/// </summary>
/// <remarks>
/// Only the group is signalled, never the rest of the script's tree as a timeout does: a signal is
/// the operator stopping Lockstep, and a script reacts to it as it sees fit (a trap that cleans up),
/// while what it deliberately moved out of its group (a daemon it started) keeps running.
/// </remarks>
public static class SignalForwarder
{
    private static readonly Lock Gate = new();
    private static int _currentGroup;
    private static List<PosixSignalRegistration>? _registrations;

    /// <summary>The first of INT, TERM, HUP received since Install: the stop the CLI hands to Core code.</summary>
    public static StopSignal Stop { get; } = new();

    public static void Install()
    {
        lock (Gate)
        {
            if (_registrations is not null)
            {
                return;
            }

            _registrations =
            [
                PosixSignalRegistration.Create(PosixSignal.SIGINT, context => OnSignal(context, LibC.SIGINT)),
                PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => OnSignal(context, LibC.SIGTERM)),
                PosixSignalRegistration.Create(PosixSignal.SIGHUP, context => OnSignal(context, LibC.SIGHUP)),
            ];
        }
    }

    internal static void Enter(int group)
    {
        Volatile.Write(ref _currentGroup, group);
        // A signal that arrived between spawn and here would otherwise never reach the group.
        int pending = Stop.Received;
        if (pending != 0)
        {
            _ = LibC.kill(-group, pending);
        }
    }

    internal static void Leave() => Volatile.Write(ref _currentGroup, 0);

    private static void OnSignal(PosixSignalContext context, int signal)
    {
        context.Cancel = true;
        Stop.Raise(signal);
        int group = Volatile.Read(ref _currentGroup);
        if (group > 0)
        {
            _ = LibC.kill(-group, signal);
        }
    }
}
