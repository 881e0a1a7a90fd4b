using Lockstep.Parts;

namespace Lockstep.Update;

/// <summary>
/// What the workflow tells the world outside its state file: notifiers and the metrics file. An
/// observer must never change the workflow: it logs its own failures and returns.
/// </summary>
public interface IUpdateObserver
{
    /// <summary>An event for notify.d, in <paramref name="step"/>, with one line saying what happened.</summary>
    void Event(UpdateEvent e, UpdateStep step, string message);

    /// <summary>The state moved and was recorded.</summary>
    void StepChanged(UpdateState state);

    /// <summary>A step's scripts ran.</summary>
    void ScriptsRan(UpdateStep step, PartsResult result);

    /// <summary>The lock was taken after waiting this long.</summary>
    void LockTaken(TimeSpan waited);

    /// <summary>The run ends with <paramref name="exitCode"/> at <paramref name="state"/>.</summary>
    void Finished(int exitCode, UpdateState state);
}

/// <summary>Tells several observers (notifiers and metrics) in turn.</summary>
public sealed class UpdateObservers(params IUpdateObserver[] observers) : IUpdateObserver
{
    public static IUpdateObserver None { get; } = new UpdateObservers();

    public void Event(UpdateEvent e, UpdateStep step, string message) => Each(o => o.Event(e, step, message));

    public void StepChanged(UpdateState state) => Each(o => o.StepChanged(state));

    public void ScriptsRan(UpdateStep step, PartsResult result) => Each(o => o.ScriptsRan(step, result));

    public void LockTaken(TimeSpan waited) => Each(o => o.LockTaken(waited));

    public void Finished(int exitCode, UpdateState state) => Each(o => o.Finished(exitCode, state));

    private void Each(Action<IUpdateObserver> tell)
    {
        foreach (var observer in observers)
        {
            tell(observer);
        }
    }
}
