namespace Lockstep.Tests.Support;

/// <summary>A private temporary directory (mode 0755, so Lockstep trusts scripts in it), removed afterwards.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = Directory.CreateTempSubdirectory("lockstep-test-").FullName;
        System.IO.File.SetUnixFileMode(Path, (UnixFileMode)0b111_101_101);
    }

    public string Path { get; }

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    /// <summary>Creates a directory (and its parents) under this one, mode 0755.</summary>
    public string Dir(string relative)
    {
        string full = this[relative];
        Directory.CreateDirectory(full, (UnixFileMode)0b111_101_101);
        return full;
    }

    /// <summary>Writes an executable script (mode 0755) and returns its path.</summary>
    public string Script(string relative, string body, string interpreter = "#!/bin/sh")
    {
        string full = File(relative, $"{interpreter}\n{body}\n");
        System.IO.File.SetUnixFileMode(full, (UnixFileMode)0b111_101_101);
        return full;
    }

    /// <summary>A copy of /bin/sh (mode 0755, its directory created 0755), to name in a <c>#!</c> line.</summary>
    public string Shell(string relative)
    {
        string full = this[relative];
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!, (UnixFileMode)0b111_101_101);
        System.IO.File.Copy("/bin/sh", full);
        System.IO.File.SetUnixFileMode(full, (UnixFileMode)0b111_101_101);
        return full;
    }

    /// <summary>Writes a plain file (mode 0644), creating its directory.</summary>
    public string File(string relative, string content)
    {
        string full = this[relative];
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!, (UnixFileMode)0b111_101_101);
        System.IO.File.WriteAllText(full, content);
        System.IO.File.SetUnixFileMode(full, (UnixFileMode)0b110_100_100);
        return full;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
