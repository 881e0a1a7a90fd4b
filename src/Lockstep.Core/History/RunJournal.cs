using Lockstep.Logging;
using Lockstep.Parts;

namespace Lockstep.History;

/// <summary>
/// Keeps the record of the run in progress and persists it: at once when the run begins and ends,
/// and in between at most <see cref="DefaultSaveDelay"/> after a change, so a long script shows up
/// in the record while it runs without a thousand fast scripts costing a thousand fsyncs. A kill -9
/// leaves the last snapshot, still saying "running": history shows that as did_not_finish.
/// </summary>
public sealed class RunJournal : IDisposable
{
    public static readonly TimeSpan DefaultSaveDelay = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly RunRecord _record;
    private readonly TimeProvider _clock;
    private readonly ILog _log;
    private readonly TimeSpan _saveDelay;
    private readonly long _startTicks;
    private readonly ITimer? _timer;
    private RunStore? _store;
    private PhaseRecord? _phase;
    private long _phaseTicks;
    private bool _dirty;
    private bool _armed;
    private bool _finished;
    private readonly LogLevel _unrecordedLevel;

    /// <param name="unrecordedLevel">How loudly to say the run goes unrecorded: a non-root user of the default state directory expects it.</param>
    public RunJournal(RunStore? store, string command, string baseDir, TimeProvider clock, ILog log, TimeSpan? saveDelay = null, LogLevel unrecordedLevel = LogLevel.Warn)
    {
        _unrecordedLevel = unrecordedLevel;
        ArgumentNullException.ThrowIfNull(clock);
        _store = store;
        _clock = clock;
        _log = log;
        _saveDelay = saveDelay ?? DefaultSaveDelay;
        _startTicks = clock.GetTimestamp();
        var process = ProcessIdentity.Current();
        var now = clock.GetUtcNow();
        _record = new RunRecord { Id = RunStore.NewId(now, process.Pid), Command = command, BaseDir = Printable.EscapeBytes(baseDir), Process = process, StartedAt = now };
        if (store is not null)
        {
            _timer = clock.CreateTimer(_ => SaveIfDirty(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    public string Id => _record.Id;

    /// <summary>Where the record is, or null when it could not be written (the run goes on unrecorded).</summary>
    public string? RecordPath
    {
        get
        {
            lock (_gate)
            {
                return _store?.PathOf(_record.Id);
            }
        }
    }

    /// <summary>Writes the "running" record before anything runs.</summary>
    public void Begin()
    {
        lock (_gate)
        {
            SaveLocked();
        }
    }

    public void PhaseSkipped(string name, string directory) => Change(() =>
        _record.Phases.Add(new PhaseRecord { Name = name, Directory = Printable.EscapeBytes(directory), StartedAt = _clock.GetUtcNow(), Outcome = RunOutcome.Skipped }));

    /// <summary>A phase (or error.d, with <paramref name="errorHandlers"/>) begins; scripts are recorded into it.</summary>
    public void PhaseStarted(string name, string directory, bool errorHandlers = false) => Change(() =>
    {
        _phase = new PhaseRecord { Name = name, Directory = Printable.EscapeBytes(directory), StartedAt = _clock.GetUtcNow() };
        _phaseTicks = _clock.GetTimestamp();
        if (errorHandlers)
        {
            _record.ErrorHandlers = _phase;
        }
        else
        {
            _record.Phases.Add(_phase);
        }
    });

    public void ScriptStarted(Part part) => Change(() =>
        _phase?.Scripts.Add(new ScriptRecord { Name = Printable.EscapeBytes(part.Name), Path = Printable.EscapeBytes(part.Path), StartedAt = _clock.GetUtcNow() }));

    public void ScriptFinished(PartRun run) => Change(() =>
    {
        if (_phase?.Scripts is [.., var script] && script.Path == Printable.EscapeBytes(run.Part.Path) && script.Status is null)
        {
            script.StartedAt = run.StartedAt;
            script.DurationSeconds = Seconds(run.Duration);
            script.Status = run.Status;
        }
    });

    public void PhaseFinished(RunOutcome outcome, int? status, string? message) => Change(() =>
    {
        if (_phase is { } phase)
        {
            phase.Outcome = outcome;
            phase.Status = status;
            phase.Message = message is null ? null : Printable.EscapeBytes(message);
            phase.DurationSeconds = Seconds(_clock.GetElapsedTime(_phaseTicks));
            _phase = null;
        }
    });

    /// <summary>Writes the final record at once and drops the oldest beyond the store's retention.</summary>
    public void Finish(RunOutcome outcome, int exitStatus, string? message)
    {
        lock (_gate)
        {
            _record.Outcome = outcome;
            _record.ExitStatus = exitStatus;
            _record.Message = message is null ? null : Printable.EscapeBytes(message);
            _record.FinishedAt = _clock.GetUtcNow();
            _record.DurationSeconds = Seconds(_clock.GetElapsedTime(_startTicks));
            _finished = true;
            SaveLocked();
            try
            {
                _store?.Prune(RunStore.DefaultKeep);
            }
            catch (RunStoreException e)
            {
                _log.Warn($"{e.Message}; old records stay until a later run prunes them");
            }
        }
    }

    /// <summary>The record as it stands; complete once <see cref="Finish"/> has run.</summary>
    public RunRecord Record
    {
        get
        {
            lock (_gate)
            {
                return _record;
            }
        }
    }

    public void Dispose() => _timer?.Dispose();

    private static double Seconds(TimeSpan duration) => Math.Round(duration.TotalSeconds, 3);

    private void Change(Action change)
    {
        lock (_gate)
        {
            change();
            _dirty = true;
            if (!_armed && _timer is not null && _store is not null)
            {
                _armed = true;
                _timer.Change(_saveDelay, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void SaveIfDirty()
    {
        lock (_gate)
        {
            _armed = false;
            if (_dirty && !_finished)
            {
                SaveLocked();
            }
        }
    }

    private void SaveLocked()
    {
        if (_store is null)
        {
            return;
        }

        try
        {
            _store.Save(_record);
            _dirty = false;
        }
        catch (RunStoreException e)
        {
            _log.Write(_unrecordedLevel, $"{e.Message}; the run goes on unrecorded (run as root or give --state-dir DIR to record it)");
            _store = null;
        }
    }
}
