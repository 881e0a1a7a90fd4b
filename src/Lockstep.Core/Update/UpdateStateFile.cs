using System.Text;
using System.Text.Json;
using Lockstep.Files;
using Lockstep.Json;

namespace Lockstep.Update;

/// <summary>
/// The state file: Lockstep writes JSON atomically; it also reads foreman_dlm_updater's one-word
/// file (the next step's name), so a host can change tools in the middle of an update. A file it
/// cannot read or understand stops the run and is never deleted or rewritten.
/// </summary>
public static class UpdateStateFile
{
    /// <summary>A state file is a few hundred bytes; a bigger one is not one.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>The recorded state, or <see cref="UpdateState.Idle"/> when there is no file.</summary>
    public static UpdateState Read(string path)
    {
        string text;
        try
        {
            if (RuntimeFile.Read(path, "state file", MaxBytes) is not { } bytes)
            {
                return UpdateState.Idle;
            }

            text = Encoding.UTF8.GetString(bytes);
        }
        catch (PathRefusedException e) when (e.Errno == 0)
        {
            throw new UpdateException($"[main] state: {e.Message}; nothing was run", UpdateExitCodes.BadInput);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(path, $"cannot be read ({FileFailure.Reason(e, path)})");
        }

        return Parse(path, text);
    }

    internal static UpdateState Parse(string path, string text)
    {
        string trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            throw Unreadable(path, "is empty (a write that was cut short?)");
        }

        if (trimmed[0] == '{')
        {
            return FromJson(path, trimmed);
        }

        if (UpdateSteps.TryParse(trimmed, out var step))
        {
            return new UpdateState(step) { FromOneWordFile = true };
        }

        string shown = trimmed.Length > 40 ? trimmed[..40] + "..." : trimmed;
        throw Unreadable(path, $"holds '{shown.ReplaceLineEndings(" ")}', which is not a step name ({string.Join(", ", UpdateSteps.All.Select(s => s.Name()))})");
    }

    /// <summary>Replaces the state file atomically (0600; its directory is created 0700 when missing).</summary>
    public static void Write(string path, UpdateState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var document = new UpdateStateDocument
        {
            Format = UpdateStateDocument.CurrentFormat,
            Step = state.Step.Name(),
            Since = state.Since,
            LockName = state.LockName,
            HolderId = state.HolderId,
            Reboot = state.Reboot is { } reboot ? new() { BootId = reboot.BootId, RequestedAt = reboot.RequestedAt } : null,
        };
        RuntimeDirectory.EnsureFor(path);
#if LOCKSTEP_FAULT_TORN_STATE
        WriteInPlace(path, JsonSerializer.SerializeToUtf8Bytes(document, UpdateJsonContext.Default.UpdateStateDocument));
#else
        AtomicFile.Write(path, JsonSerializer.SerializeToUtf8Bytes(document, UpdateJsonContext.Default.UpdateStateDocument));
#endif
    }

#if LOCKSTEP_FAULT_TORN_STATE
    // Test build only (docs/reliability.md): the file rewritten in place, half of it at a time, as a
    // slow disk leaves it to a crash between the halves; the rollout checker must catch the torn file.
    private static void WriteInPlace(string path, byte[] content)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        stream.Write(content.AsSpan(0, content.Length / 2));
        stream.Flush();
        Thread.Sleep(50);
        stream.Write(content.AsSpan(content.Length / 2));
    }
#endif

    /// <summary>Removes the state file (the update is over), durably.</summary>
    public static void Clear(string path) => _ = AtomicFile.Remove(path, "state file");

    /// <summary>
    /// Removes the temporary files (<c>.NAME.tmp-PID-*</c>) that writers killed before their rename
    /// left beside the state file; a file of a writer still running is left. Returns how many went.
    /// </summary>
    public static int RemoveLeftovers(string path)
    {
        WalkedPath walked;
        try
        {
            walked = PathWalk.Walk(path, PathRule.Runtime, "state file");
        }
        catch (PathRefusedException)
        {
            // No directory yet, or one that reading the state refuses with its own line.
            return 0;
        }

        using var _ = walked;

        int removed = 0;
        foreach (string name in walked.NamesInDirectory($".{walked.Name}.tmp-"))
        {
            if (AtomicFile.TempWriterPid(name) is { } pid && !Directory.Exists($"/proc/{pid}") && walked.Unlink(name))
            {
                removed++;
            }
        }

        return removed;
    }

    private static UpdateState FromJson(string path, string text)
    {
        UpdateStateDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(text, UpdateJsonContext.Default.UpdateStateDocument);
        }
        catch (JsonException e)
        {
            throw Unreadable(path, $"is not valid JSON ({JsonFailure.Reason(e)})");
        }

        if (document?.Format != UpdateStateDocument.CurrentFormat)
        {
            throw Unreadable(path, $"has format '{document?.Format}', not {UpdateStateDocument.CurrentFormat} (written by a newer Lockstep?)");
        }

        if (!UpdateSteps.TryParse(document.Step, out var step))
        {
            throw Unreadable(path, $"names step '{document.Step}', which is not a step name");
        }

        PendingReboot? reboot = null;
        if (document.Reboot is { } r)
        {
            if (string.IsNullOrWhiteSpace(r.BootId) || r.RequestedAt is null || step != UpdateStep.PostUpdate)
            {
                throw Unreadable(path, "records a reboot without boot id and time, or at a step other than post_update");
            }

            reboot = new PendingReboot(r.BootId, r.RequestedAt.Value);
        }

        return new UpdateState(step, document.Since, document.LockName, document.HolderId, reboot);
    }

    private static UpdateException Unreadable(string path, string what) => new(
        $"state file {path} {what}; it was left untouched. Find which step the host is at, then write that step's name into the file " +
        "(e.g. 'echo post_update > FILE', then lockstep update --assume-rebooted if the host has rebooted since the update) or, " +
        "if no update is in progress, remove it and release the lock by hand",
        UpdateExitCodes.BadInput);
}
