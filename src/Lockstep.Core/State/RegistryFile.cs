using System.Text;
using Lockstep.Files;
using Lockstep.Logging;

namespace Lockstep.State;

/// <summary>Reads and extends the registry file; every change replaces it atomically.</summary>
public static class RegistryFile
{
    private const UnixFileMode ReadableByAll = (UnixFileMode)0b110_100_100;

    /// <summary>The registry's paths; a missing file registers nothing.</summary>
    public static RegistryContents Read(string file) =>
        ReadText(file) is { } text ? RegistryParser.Parse(text, file) : RegistryContents.Empty;

    /// <summary>
    /// Adds each path not yet registered (a path already there with the same flag is left alone).
    /// Returns how many could not be registered; problems are logged one line each.
    /// </summary>
    public static int Register(string file, IReadOnlyList<StatefulPath> paths, ILog log)
    {
        string text = ReadText(file) ?? "";
        var existing = RegistryParser.Parse(text, file);
        int failures = 0;
        foreach (string problem in existing.Problems)
        {
            log.Error($"{problem} (left as it is)");
            failures++;
        }

        var known = existing.Paths.ToDictionary(p => p.Path, StringComparer.Ordinal);
        var added = new StringBuilder(text);
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            added.Append('\n');
        }

        bool changed = false;
        foreach (var path in paths)
        {
            if (!known.TryAdd(path.Path, path))
            {
                if (known[path.Path].LeaveSymlink == path.LeaveSymlink)
                {
                    log.Info($"{path.Path} is already registered in {file}");
                }
                else
                {
                    log.Error($"{path.Path} is already registered {(path.LeaveSymlink ? "without" : "with")} --leave-symlink in {file}; edit its line there to change that");
                    failures++;
                }

                continue;
            }

            added.Append(path.ToRegistryLine()).Append('\n');
            changed = true;
            log.Info($"registered {path.Path}{(path.LeaveSymlink ? " (leave a symlink)" : "")} in {file}");
        }

        if (changed)
        {
            Write(file, added.ToString());
        }

        return failures;
    }

    private static void Write(string file, string text)
    {
        try
        {
            AtomicFile.WriteText(file, text, ReadableByAll);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StateException($"cannot write the registry {file}: {e.Message}; nothing was registered");
        }
    }

    private static string? ReadText(string file)
    {
        try
        {
            return File.ReadAllText(file, new UTF8Encoding(false, throwOnInvalidBytes: true));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            throw new StateException($"cannot read the registry {file}: {e.Message}");
        }
    }
}
