using System.Text.Json;
using Lockstep.Files;
using Lockstep.Json;
using Lockstep.Logging;

namespace Lockstep.Update;

/// <summary>
/// What identifies the script (or reboot_cmd) a run is running, written before it starts and
/// cleared when it ends, so that the run after a kill -9 finds the script if it still runs
/// (README, "After a killed run"). Every field names this one process and no other: the boot, the
/// pid with its start time, the session it was started in, and a random marker in its environment.
/// </summary>
/// <param name="BootId">The boot the script runs in: after a reboot, nothing of it can run.</param>
/// <param name="Step">The step (LOCKSTEP_STEP) it belongs to.</param>
/// <param name="Script">The path that was run.</param>
/// <param name="Marker">The value of <see cref="ScriptRecordFile.MarkerVariable"/> in its environment, which its children inherit.</param>
/// <param name="Session">Lockstep's session, which the script shares (it leaves it only by <c>setsid</c>).</param>
/// <param name="StartedAt">When the script was started, by the run's clock.</param>
public sealed record ScriptRecord(string BootId, string Step, string Script, string Marker, int Session, DateTimeOffset StartedAt)
{
    /// <summary>The script's pid, which leads its process group; null when the run was killed between spawn and recording it.</summary>
    public int? Pid { get; init; }

    /// <summary>Its start time in clock ticks since boot (/proc/PID/stat): with the pid, it names one process even after the pid is reused.</summary>
    public ulong? StartTicks { get; init; }
}

/// <summary>
/// The record file, <c>STATE.script</c> beside the state file: replaced atomically by rename (0600),
/// read with the same bound and symlink rules as the state, removed when the script has ended. No
/// fsync: kill -9 loses nothing the kernel has, and after a power cut the record names another
/// boot, which is ignored; so each script costs a rename and an unlink, not four fsyncs.
/// </summary>
public static class ScriptRecordFile
{
    /// <summary>Every script of lockstep update sees this variable, a random value of its own (README, "After a killed run").</summary>
    public const string MarkerVariable = "LOCKSTEP_SCRIPT_ID";

    private const string CurrentFormat = "lockstep-update-script/1";

    /// <summary>The record that belongs to the state file <paramref name="statePath"/>.</summary>
    public static string PathFor(string statePath) => statePath + ".script";

    public static void Write(string path, ScriptRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var document = new ScriptRecordDocument
        {
            Format = CurrentFormat,
            BootId = record.BootId,
            Step = record.Step,
            Script = Printable.EscapeBytes(record.Script), // JSON holds text: bytes that are not UTF-8 as \xNN, as in run records
            Marker = record.Marker,
            Session = record.Session,
            StartedAt = record.StartedAt,
            Pid = record.Pid,
            StartTicks = record.StartTicks,
        };
        RuntimeDirectory.EnsureFor(path);
        AtomicFile.Write(path, JsonSerializer.SerializeToUtf8Bytes(document, UpdateJsonContext.Default.ScriptRecordDocument), durable: false);
    }

    /// <summary>The record, or null when there is none (or an empty file); throws <see cref="FormatException"/> for one that is not a record (its text is never shown).</summary>
    public static ScriptRecord? Read(string path)
    {
        // Empty is what a power cut can leave of a record that was never synced: it was of another boot.
        if (RuntimeFile.Read(path, "script record", UpdateStateFile.MaxBytes) is not { Length: > 0 } bytes)
        {
            return null;
        }

        ScriptRecordDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(bytes, UpdateJsonContext.Default.ScriptRecordDocument);
        }
        catch (JsonException e)
        {
            throw new FormatException($"it is not valid JSON ({JsonFailure.Reason(e)})", e);
        }

        if (document is not { Format: CurrentFormat, BootId: { Length: > 0 } bootId, Step: { } step, Script: { } script, Marker: { Length: > 0 } marker, Session: { } session, StartedAt: { } startedAt }
            || (document.Pid is null) != (document.StartTicks is null))
        {
            throw new FormatException($"it is not a {CurrentFormat} record");
        }

        return new ScriptRecord(bootId, step, script, marker, session, startedAt) { Pid = document.Pid, StartTicks = document.StartTicks };
    }

    /// <summary>Removes the record (the script has ended); nothing when there is none.</summary>
    public static void Clear(string path) => _ = AtomicFile.Remove(path, "script record", durable: false);
}

/// <summary>The JSON form of <see cref="ScriptRecord"/>.</summary>
internal sealed class ScriptRecordDocument
{
    public string? Format { get; set; }

    public string? BootId { get; set; }

    public string? Step { get; set; }

    public string? Script { get; set; }

    public string? Marker { get; set; }

    public int? Session { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public int? Pid { get; set; }

    public ulong? StartTicks { get; set; }
}
