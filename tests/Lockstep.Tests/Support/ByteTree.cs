namespace Lockstep.Tests.Support;

/// <summary>
/// A temporary directory for trees whose names are not UTF-8, made and used through
/// <see cref="ByteShell"/> (.NET could not remove them either): commands see <c>$T</c> (its path)
/// and <c>$n</c> (the name under test, a printf format expanded), and <c>$T/bin</c> holds drop-in
/// names linked to lockstep.
/// </summary>
public sealed class ByteTree : IDisposable
{
    public ByteTree(params string[] dropIns)
    {
        Directory.CreateDirectory(Path.Combine(Root, "bin"));
        foreach (string dropIn in dropIns)
        {
            File.CreateSymbolicLink(Path.Combine(Root, "bin", dropIn), LockstepCli.Binary);
        }
    }

    /// <summary>The directory (mode 0700, root's or the caller's: Lockstep trusts what is in it).</summary>
    public string Root { get; } = Directory.CreateTempSubdirectory("lockstep-bytes-").FullName;

    /// <summary>Runs <paramref name="command"/> with $T, $n = printf <paramref name="name"/>, and <paramref name="variables"/>.</summary>
    public ByteResult Shell(string command, string name, IReadOnlyDictionary<string, string>? variables = null)
    {
        var environment = new Dictionary<string, string>(variables ?? new Dictionary<string, string>()) { ["T"] = Root, ["NAME"] = name };
        return ByteShell.Run($"n=$(printf \"$NAME\")\n{command}", environment);
    }

    public void Dispose() => Shell("rm -rf \"$T\"", "");
}
