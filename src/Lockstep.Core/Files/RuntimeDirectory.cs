namespace Lockstep.Files;

/// <summary>Directories Lockstep keeps its runtime files in (state, locks, logs): created private (0700) when missing.</summary>
internal static class RuntimeDirectory
{
    public const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Creates the directory that will hold <paramref name="file"/>, and its missing parents, mode
    /// 0700; existing ones are left as they are. Walked from / (<see cref="PathRule.Runtime"/>): a
    /// symlink on the way that another user owns is refused (<see cref="PathRefusedException"/>), not followed.
    /// </summary>
    public static void EnsureFor(string file) => PathWalk.Walk(file, PathRule.Runtime, "file", createDirectories: true).Dispose();

    /// <summary>
    /// Creates the directory <paramref name="dir"/> itself and its missing parents, mode
    /// <paramref name="mode"/> whatever the umask (0755 for the state root and the pristine store,
    /// which services pass through); walked as <see cref="EnsureFor"/> walks.
    /// </summary>
    /// <remarks>The walk creates only directories it passes, so it walks on into <paramref name="dir"/> and back out ("..").</remarks>
    public static void Ensure(string dir, uint mode) =>
        PathWalk.Walk(dir.TrimEnd('/') + "/..", PathRule.Runtime, "directory", createDirectories: true, createMode: mode).Dispose();
}
