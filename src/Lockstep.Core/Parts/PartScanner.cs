using Lockstep.Files;
using Lockstep.Logging;
using Lockstep.Processes;

namespace Lockstep.Parts;

/// <summary>Finds the parts of a directory: direct children that are executable regular files with an accepted name.</summary>
public static class PartScanner
{
    /// <summary>Lists and orders the parts of <paramref name="dir"/>; throws <see cref="PartsException"/> when the directory is unusable or unsafe.</summary>
    public static IReadOnlyList<Part> Scan(string dir, PartNameFilter filter, PartOrderKind order, ILog log)
    {
        string physical = CheckDirectory(dir, "script directory");
        var names = ListNames(physical);
        var parts = new List<Part>(names.Count);
        string prefix = dir + "/";
        var interpreters = new TrustedInterpreters();
        foreach (string name in names)
        {
            string path = prefix + name;
            if (Accept(name, path, filter, interpreters, log))
            {
                parts.Add(new Part(name, path));
            }
        }

        var comparison = PartOrder.For(order);
        parts.Sort((a, b) => comparison(a.Name, b.Name));
        return parts;
    }

    /// <summary>
    /// The directory must exist, be a directory and be trusted, with every directory and symlink
    /// on its way (<see cref="Trust"/>); returns its physical path (symlinks resolved).
    /// </summary>
    public static string CheckDirectory(string dir, string what)
    {
        using var walked = OpenTrusted(dir, what, "use");
        return walked.Stat.IsDirectory
            ? walked.PhysicalPath
            : throw new PartsException($"{what} {dir} is not a directory; give a directory of scripts", PartsExitCodes.BadDirectory);
    }

    /// <summary>
    /// <see cref="Trust.Open"/> with the failures a run-parts user sees: a path that leads nowhere or
    /// is refused as unsafe throws <see cref="PartsException"/> (status 1).
    /// </summary>
    public static WalkedPath OpenTrusted(string path, string what, string verb = "run")
    {
        try
        {
            return Trust.Open(path, what, verb);
        }
        catch (PathRefusedException e)
        {
            throw new PartsException(e.Errno switch
            {
                0 => e.Message,
                LibC.ENOENT => $"{what} {path} does not exist; give an existing directory",
                LibC.ELOOP => $"{what} {path} is a symlink loop; point it at a real directory",
                LibC.EACCES => $"{what} {path} cannot be reached (permission denied); run as a user who can read it",
                LibC.ENOTDIR => $"{what} {path} is not a directory (a part of its path is a file); give a directory",
                _ => $"{e.Message}; check the path",
            }, PartsExitCodes.BadDirectory);
        }
    }

    /// <summary>Entry names of a directory, with their bytes (<see cref="DirectoryEntries"/>); throws <see cref="PartsException"/> when it cannot be listed.</summary>
    public static List<string> ListNames(string dir)
    {
        try
        {
            return DirectoryEntries.Names(dir);
        }
        catch (PathRefusedException e)
        {
            throw new PartsException($"{e.Message}; {(e.Errno == LibC.EACCES ? "run as a user who can read it" : "check it")}", PartsExitCodes.BadDirectory);
        }
    }

    private static bool Accept(string name, string path, PartNameFilter filter, TrustedInterpreters interpreters, ILog log)
    {
        if (name.Contains('\n', StringComparison.Ordinal))
        {
            log.Warn($"skipping {path.ReplaceLineEndings("\\n")}: a name with a newline cannot be listed or logged safely; rename it");
            return false;
        }

        if (!filter.Matches(name))
        {
            if (name.EndsWith(".sh", StringComparison.Ordinal))
            {
                log.Warn($"skipping {path}: names must match {filter.Pattern}, so '.sh' scripts never run; rename it to {name[..^3]}");
            }
            else if (log.IsEnabled(LogLevel.Debug))
            {
                log.Debug($"skipping {path}: name does not match {filter.Pattern}");
            }

            return false;
        }

        int errno = FileStat.TryStat(path, out var stat);
        if (errno != 0)
        {
            if (errno == LibC.ELOOP)
            {
                log.Warn($"skipping {path}: symlink loop");
            }
            else
            {
                log.Debug($"skipping {path}: {(errno == LibC.ENOENT ? "dangling symlink" : $"cannot stat (errno {errno})")}");
            }

            return false;
        }

        if (!stat.IsRegularFile)
        {
            log.Debug($"skipping {path}: not a regular file");
            return false;
        }

        if (LibC.access(path, LibC.X_OK) != 0)
        {
            if (LooksLikeScript(path))
            {
                log.Warn($"skipping {path}: it starts with #! but is not executable; chmod +x it to run it");
            }
            else
            {
                log.Debug($"skipping {path}: not executable");
            }

            return false;
        }

        // Every directory and symlink from / to the script, its target included, must be root's or the caller's.
        try
        {
            using var _ = Trust.OpenExecutable(path, "script", interpreters);
        }
        catch (PathRefusedException e) when (e.Errno == 0)
        {
            throw new PartsException(e.Message, PartsExitCodes.BadDirectory);
        }
        catch (PathRefusedException e)
        {
            log.Debug($"skipping {path}: {e.Message}");
            return false;
        }

        return true;
    }

    private static bool LooksLikeScript(string path)
    {
        try
        {
            // Only a file that passes the trust walk is opened, through the descriptor checked, and
            // non-blocking: nothing another user could swap in (a FIFO, a device) is ever opened.
            using var walked = Trust.Open(path, "script");
            if (!walked.Stat.IsRegularFile)
            {
                return false;
            }

            return Shebang.IsScript(walked.Leaf!);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
