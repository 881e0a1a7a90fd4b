namespace Lockstep.Tests.State;

/// <summary>
/// A small tmpfs mounted for one test (tests run as root): a read-only one stands for a state
/// volume mounted read-only, a tiny one for a full disk, any one for another file system.
/// </summary>
public sealed class TmpfsMount : IDisposable
{
    public TmpfsMount(string path, string options)
    {
        Path = path;
        Directory.CreateDirectory(path);
        StateSandbox.Sh("mount", "-t", "tmpfs", "-o", options, "tmpfs", path);
    }

    public string Path { get; }

    public void Dispose() => StateSandbox.Sh("umount", "-l", Path);
}
