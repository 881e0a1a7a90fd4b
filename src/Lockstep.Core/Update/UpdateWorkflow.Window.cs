using System.Globalization;
using Lockstep.Logging;

namespace Lockstep.Update;

/// <summary>
/// The maintenance-window rules of the workflow (README, "Maintenance windows"): the lock is taken
/// only with <c>window_min_remaining</c> of a window left, and <c>reboot_cmd</c> runs only inside one.
/// </summary>
public sealed partial class UpdateWorkflow
{
    /// <summary>Null when the lock may be taken now, else the outcome that ends the run at lock_get (state kept).</summary>
    private UpdateFact? OutsideWindow()
    {
        var now = _services.Clock.GetUtcNow();
        if (_options.Windows.IsUsable(now, _options.WindowMinRemaining))
        {
            return null;
        }

        string message = $"outside the maintenance windows (or less than window_min_remaining {_options.WindowMinRemaining.TotalMinutes:0.#} min left): " +
            $"lock '{_options.LockName}' was not taken and the state is kept at {_state.Step.Name()}; {NextUsableText(now)}";
        Notify(UpdateEvent.WindowClosed, message);
        return new UpdateFact(UpdateFactKind.OutsideWindow, message);
    }

    /// <summary>Whether a lock waiter may try again: false once the window no longer leaves enough time.</summary>
    private bool MayTakeLock() => _options.Windows.IsUsable(_services.Clock.GetUtcNow(), _options.WindowMinRemaining);

    /// <summary>
    /// At the reboot step outside every window, waits, holding the lock, until one opens: a host
    /// half updated must not leave the fleet waiting for the next timer run.
    /// </summary>
    private async Task WaitForWindowAsync(CancellationToken cancellationToken)
    {
        bool told = false;
        while (!_options.Windows.Contains(_services.Clock.GetUtcNow()))
        {
            var now = _services.Clock.GetUtcNow();
            var opens = _options.Windows.NextOpening(now)
                ?? throw new UpdateException("no maintenance window opens within two weeks; fix maintenance_window (lock kept, state at reboot)", UpdateExitCodes.BadInput);
            if (!told)
            {
                string message = $"reboot step outside the maintenance windows: waiting, holding lock '{_options.LockName}', until {Local(opens)}";
                _log.Info(message);
                Notify(UpdateEvent.WindowClosed, message);
                told = true;
            }

            await _services.WaitForAsync(opens, cancellationToken).ConfigureAwait(false);
        }
    }

    private string NextUsableText(DateTimeOffset now) => _options.Windows.NextUsable(now, _options.WindowMinRemaining) is { } next
        ? $"the next window opens at {Local(next)}; the next run after that takes the lock"
        : "no window leaves window_min_remaining within two weeks; fix maintenance_window or window_min_remaining";

    private string Local(DateTimeOffset instant) => Local(instant, _services.Clock);

    /// <summary>An instant as the host's wall clock shows it, with its offset, so logs read without a zone table.</summary>
    internal static string Local(DateTimeOffset instant, TimeProvider clock) =>
        TimeZoneInfo.ConvertTime(instant, clock.LocalTimeZone).ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture);
}
