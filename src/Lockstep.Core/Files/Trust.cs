using Lockstep.Processes;

namespace Lockstep.Files;

/// <summary>
/// Code and configuration Lockstep runs or reads as root must not be changeable by anyone else
/// (README, "Which paths Lockstep trusts"): the file, every directory from <c>/</c> to it and every
/// symlink on the way are owned by root or the caller; neither the file nor any of those
/// directories is writable by group or others, except a sticky directory such as <c>/tmp</c>.
/// </summary>
internal static class Trust
{
    /// <summary>Null when the file itself is trusted, else the one-line reason with the fix.</summary>
    /// <param name="verb">What Lockstep would do with it: "run", "read", "source".</param>
    public static string? Check(string what, string path, in FileStat stat, string verb = "run") =>
        CheckOwner(what, path, stat, verb) ?? CheckWritable(what, path, stat, verb);

    /// <summary>Owned by root or the caller: nobody else can change its mode or contents behind our back.</summary>
    public static bool IsOwnedByRootOrCaller(in FileStat stat) => stat.Uid == 0 || stat.Uid == FileStat.EffectiveUid;

    /// <summary>Owned by root or the caller and writable by neither group nor others.</summary>
    public static bool IsTrusted(in FileStat stat) => IsOwnedByRootOrCaller(stat) && !stat.GroupWritable && !stat.OthersWritable;

    /// <summary>
    /// Walks to <paramref name="path"/> under <see cref="PathRule.Trusted"/> and checks the file it
    /// reaches; the result holds the very file checked (run or read it through its descriptor).
    /// Throws <see cref="PathRefusedException"/>: the errno of a path that does not lead anywhere, or 0 for a refusal.
    /// </summary>
    /// <param name="regularFile">Refuse anything but a regular file first (as an <see cref="IOException"/>: "it is a FIFO, not a regular file").</param>
    public static WalkedPath Open(string path, string what, string verb = "run", bool regularFile = false)
    {
        var walked = PathWalk.Walk(path, PathRule.Trusted, what);
        try
        {
            if (!walked.Exists)
            {
                throw new PathRefusedException($"{what} {PathWalk.Shown(path)} does not exist", LibC.ENOENT);
            }

            if (regularFile && !walked.Stat.IsRegularFile)
            {
                throw new NotRegularFileException(walked.Stat.IsDirectory ? "it is a directory" : $"it is {walked.Stat.Kind}, not a regular file");
            }

            return Check(what, PathWalk.Shown(path), walked.Stat, verb) is { } refusal ? throw new PathRefusedException(refusal) : walked;
        }
        catch
        {
            walked.Dispose();
            throw;
        }
    }

    /// <summary>
    /// <see cref="Open"/> for a file to be executed: when it is a <c>#!</c> script, the interpreter its
    /// first line names is walked under the same rule, and that one's if it is a script too (as deep
    /// as the kernel nests them), since root runs the interpreter as well, by that name. An
    /// interpreter that does not exist is left to exec to report (127, as dib-run-parts).
    /// </summary>
    /// <param name="known">Interpreters already found trusted in this listing or run, consulted and added to.</param>
    public static WalkedPath OpenExecutable(string path, string what, TrustedInterpreters? known = null)
    {
        var walked = Open(path, what);
        try
        {
            CheckInterpreter(walked, $"{what} {PathWalk.Shown(path)}", 0, known);
            return walked;
        }
        catch
        {
            walked.Dispose();
            throw;
        }
    }

    private static void CheckInterpreter(WalkedPath file, string subject, int depth, TrustedInterpreters? known)
    {
        // The kernel itself refuses scripts nested deeper than this (ELOOP).
        const int KernelNesting = 4;
        if (depth >= KernelNesting || !file.Stat.IsRegularFile || file.Leaf is null || Shebang.Interpreter(file.Leaf) is not { } interpreter ||
            known?.Contains(interpreter) == true)
        {
            return;
        }

        WalkedPath checkedInterpreter;
        try
        {
            checkedInterpreter = Open(interpreter, "#! interpreter");
        }
        catch (PathRefusedException e) when (e.Errno != 0)
        {
            return;
        }
        catch (PathRefusedException e)
        {
            throw new PathRefusedException($"{subject} starts with #!{PathWalk.Shown(interpreter)}: {e.Message}");
        }

        using (checkedInterpreter)
        {
            CheckInterpreter(checkedInterpreter, $"{subject} starts with #!{PathWalk.Shown(interpreter)}, which", depth + 1, known);
        }

        // Reached only when the interpreter and every interpreter below it passed (a missing one returns above, unremembered).
        known?.Add(interpreter);
    }

    private static string? CheckOwner(string what, string path, in FileStat stat, string verb) =>
        IsOwnedByRootOrCaller(stat)
            ? null
            : $"{what} {path} is owned by uid {stat.Uid}, not root or the caller (uid {FileStat.EffectiveUid}); refusing to {verb} it (chown it)";

    private static string? CheckWritable(string what, string path, in FileStat stat, string verb)
    {
        if (!stat.GroupWritable && !stat.OthersWritable)
        {
            return null;
        }

        string who = stat.GroupWritable && stat.OthersWritable ? "group and others" : stat.GroupWritable ? "group" : "others";
        string flag = stat.GroupWritable && stat.OthersWritable ? "go-w" : stat.GroupWritable ? "g-w" : "o-w";
        return $"{what} {path} is writable by {who} (mode {Convert.ToString(stat.Permissions, 8).PadLeft(4, '0')}); refusing to {verb} it (chmod {flag} '{path}')";
    }
}
