using System.Text;
using Lockstep.Files;
using Lockstep.Logging;
using Lockstep.Processes;

namespace Lockstep.State;

/// <summary>
/// Reads and extends the registry file; every change replaces it atomically, keeping its bytes as
/// they were. Paths in it are bytes, as use-ephemeral's shell wrote them (<see cref="OsText"/>).
/// </summary>
internal static class RegistryFile
{
    private const UnixFileMode ReadableByAll = (UnixFileMode)0b110_100_100;

    /// <summary>The registry's paths; a missing file registers nothing.</summary>
    public static RegistryContents Read(string file) =>
        ReadBytes(file) is { } bytes ? RegistryParser.Parse(OsText.Decode(bytes), file) : RegistryContents.Empty;

    /// <summary>
    /// Adds each path not yet registered (a path already there with the same flag is left alone).
    /// Returns how many could not be registered; problems are logged one line each.
    /// </summary>
    public static int Register(string file, IReadOnlyList<StatefulPath> paths, ILog log)
    {
        byte[] original = ReadBytes(file) ?? [];
        var existing = RegistryParser.Parse(OsText.Decode(original), file);
        int failures = 0;
        foreach (string problem in existing.Problems)
        {
            log.Error($"{problem} (left as it is)");
            failures++;
        }

        var known = existing.Paths.ToDictionary(p => p.Path, StringComparer.Ordinal);
        var added = new StringBuilder();
        foreach (var path in paths)
        {
            if (known.TryAdd(path.Path, path))
            {
                added.Append(path.ToRegistryLine()).Append('\n');
                log.Info($"registered {path.Path}{(path.LeaveSymlink ? " (leave a symlink)" : "")} in {file}");
            }
            else if (known[path.Path].LeaveSymlink == path.LeaveSymlink)
            {
                log.Info($"{path.Path} is already registered in {file}");
            }
            else
            {
                log.Error($"{path.Path} is already registered {(path.LeaveSymlink ? "without" : "with")} --leave-symlink in {file}; edit its line there to change that");
                failures++;
            }
        }

        if (added.Length > 0)
        {
            bool needsNewline = original.Length > 0 && original[^1] != (byte)'\n';
            Write(file, [.. original, .. (needsNewline ? "\n"u8 : []), .. OsText.Encode(added.ToString())]);
        }

        return failures;
    }

    private static void Write(string file, byte[] content)
    {
        try
        {
            AtomicFile.Write(file, content, ReadableByAll);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StateException($"cannot write the registry {file}: {FileFailure.Reason(e, file)}; nothing was registered");
        }
    }

    private static byte[]? ReadBytes(string file)
    {
        try
        {
            // It says what root moves and copies: never read through a symlink another user planted (RuntimeFile).
            return RuntimeFile.Read(file, "registry", BoundedFile.DefaultMaxBytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StateException($"cannot read the registry {file}: {FileFailure.Reason(e, file)}");
        }
    }
}
