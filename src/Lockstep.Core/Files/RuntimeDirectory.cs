namespace Lockstep.Files;

/// <summary>Directories Lockstep keeps its runtime files in (state, locks, logs): created private (0700) when missing.</summary>
internal static class RuntimeDirectory
{
    public const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the directory that will hold <paramref name="file"/>, and its missing parents, mode 0700; existing ones are left as they are.</summary>
    public static void EnsureFor(string file)
    {
        var missing = new Stack<string>();
        for (string? dir = Path.GetDirectoryName(Path.GetFullPath(file)); dir is not null && !Directory.Exists(dir); dir = Path.GetDirectoryName(dir))
        {
            missing.Push(dir);
        }

        // One by one: CreateDirectory gives the mode only to the last directory it creates.
        while (missing.TryPop(out string? dir))
        {
            Directory.CreateDirectory(dir, Private);
        }
    }
}
