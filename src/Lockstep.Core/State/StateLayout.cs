namespace Lockstep.State;

/// <summary>
/// The three places state lives: the state volume, the pristine store filled at image build, and
/// the registry of stateful paths. All absolute.
/// </summary>
public sealed record StateLayout
{
    /// <summary>Default state volume (the cloud ephemeral device, or the root disk when there is none).</summary>
    public const string DefaultStateRoot = "/mnt/state";

    /// <summary>Default pristine store, as use-ephemeral.</summary>
    public const string DefaultPristineDir = "/var/lib/use-ephemeral";

    /// <summary>The registry's name inside the pristine store.</summary>
    public const string RegistryName = "stateful-paths";

    public StateLayout(string? stateRoot = null, string? pristineDir = null, string? registry = null)
    {
        StateRoot = Absolute(stateRoot ?? DefaultStateRoot);
        PristineDir = Absolute(pristineDir ?? DefaultPristineDir);
        Registry = Absolute(registry ?? System.IO.Path.Combine(PristineDir, RegistryName));
    }

    public string StateRoot { get; }

    public string PristineDir { get; }

    public string Registry { get; }

    /// <summary>With the state root at '/', the state path is the path itself and a symlink would point at itself.</summary>
    public bool LeavesSymlinks => StateRoot != "/";

    public string StatePathOf(string path) => Under(StateRoot, path);

    public string PristinePathOf(string path) => Under(PristineDir, path);

    /// <summary><paramref name="path"/> (absolute) re-rooted under <paramref name="root"/>.</summary>
    public static string Under(string root, string path) => root.TrimEnd('/') + path;

    /// <summary>Why moving <paramref name="path"/> would carry the store or the state root along, or null.</summary>
    public string? Overlap(string path)
    {
        foreach (var (what, dir) in new[] { ("pristine store", PristineDir), ("state root", StateRoot), ("registry", Registry) })
        {
            // A state root of '/' is use-ephemeral's "state stays where it is": it contains everything by design.
            if (dir != "/" && (Within(path, dir) || Within(dir, path)))
            {
                return $"'{path}' overlaps the {what} {dir}; a stateful path must lie outside both";
            }
        }

        return null;
    }

    private static bool Within(string path, string dir) =>
        path == dir || path.StartsWith(dir.TrimEnd('/') + "/", StringComparison.Ordinal);

    private static string Absolute(string path)
    {
        string full = Files.PathWalk.FullPath(path);
        return full.Length > 1 ? full.TrimEnd('/') : full;
    }
}
