using System.Text;
using Lockstep.Files;
using Lockstep.Logging;
using Lockstep.Processes;
using Microsoft.Win32.SafeHandles;

namespace Lockstep.Parts;

/// <summary>
/// dib-run-parts sources <c>DIR/../environment.d/*</c> in bash before the first script; only what
/// those files export reaches the scripts. Lockstep runs one bash for all files and reads the
/// resulting environment back through a memfd on fd 3, so the files' own output stays untouched.
/// </summary>
public static class EnvironmentFiles
{
    // Fixed text; the file names are arguments, never spliced into it. env by its full path:
    // environment.d may change PATH.
    private const string Loader =
        "set -eu -o pipefail\n" +
        "for lockstep_env_file in \"$@\"; do printf 'F%s\\0' \"$lockstep_env_file\" >&3; . \"$lockstep_env_file\"; done\n" +
        "unset lockstep_env_file\n" +
        "printf 'E\\0' >&3\n" +
        "exec /usr/bin/env -0 >&3\n";

    /// <summary>
    /// The environment.d directory of a script directory: a sibling of its physical path, as
    /// dib-run-parts' <c>$DIR/../environment.d</c> is resolved by the kernel. Names and files come
    /// from that one directory, also when the script directory is reached through a symlink.
    /// </summary>
    public static string DirectoryFor(string physicalPartsDir) =>
        (Path.GetDirectoryName(physicalPartsDir.TrimEnd('/')) is { Length: > 0 } parent ? parent.TrimEnd('/') : "") + "/environment.d";

    /// <summary>The files to source, in byte order; empty when there is no environment.d. Each is trusted, as is every directory on its way.</summary>
    public static IReadOnlyList<string> Find(string partsDir, ILog log)
    {
        string dir = DirectoryFor(PartScanner.CheckDirectory(partsDir, "script directory"));
        if (FileStat.TryStat(dir, out var stat) != 0 || !stat.IsDirectory)
        {
            return [];
        }

        string physical = PartScanner.CheckDirectory(dir, "environment directory");
        var files = new List<string>();
        foreach (string name in PartScanner.ListNames(physical))
        {
            string path = physical + "/" + name;
            if (!IsEnvironmentName(name))
            {
                log.Debug($"not sourcing {path}: name does not match ^[0-9A-Za-z_.-]+$");
                continue;
            }

            if (FileStat.TryStat(path, out var fileStat) != 0 || !fileStat.IsRegularFile)
            {
                log.Debug($"not sourcing {path}: not a regular file");
                continue;
            }

            PartScanner.OpenTrusted(path, "environment file", "source").Dispose();
            files.Add(path);
        }

        files.Sort(PartOrder.CompareBytes);
        return files;
    }

    /// <summary>Sources <paramref name="files"/> in bash with <paramref name="baseEnvironment"/>; throws <see cref="PartsException"/> with the failing file's status.</summary>
    /// <param name="timeout">Kill the sourcing bash after this long (a run's deadline covers environment.d too); null for no limit.</param>
    public static unsafe ProcessEnvironment Load(
        IReadOnlyList<string> files, ProcessEnvironment baseEnvironment, IProcessRunner runner, ILog log, TimeSpan? timeout = null, TimeSpan? killGrace = null)
    {
        if (files.Count == 0)
        {
            return baseEnvironment;
        }

        foreach (string file in files)
        {
            log.Debug($"sourcing environment file {file}");
        }

        byte* name = stackalloc byte[] { (byte)'l', (byte)'o', (byte)'c', (byte)'k', (byte)'s', (byte)'t', (byte)'e', (byte)'p', 0 };
        int fd = LibC.MemfdCreate(name);
        if (fd < 0)
        {
            throw new PartsException("cannot create a memory file to read environment.d back (memfd_create failed)", PartsExitCodes.BadDirectory);
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        string bash = File.Exists("/bin/bash") ? "/bin/bash" : "/usr/bin/bash";
        var arguments = new List<string>(files.Count + 3) { "-c", Loader, "lockstep-environment" };
        arguments.AddRange(files);
        var outcome = runner.Run(new ProcessSpec(bash, arguments, baseEnvironment, timeout, killGrace, Fd3: fd));
        var (current, environment) = Parse(ReadAll(handle));
        if (!outcome.Succeeded || environment is null)
        {
            string file = current ?? files[0];
            string what = outcome.Succeeded
                ? "called exit instead of finishing (use return in sourced files)"
                : outcome.End == ProcessEnd.SpawnFailed ? $"could not be sourced: cannot run {bash}" : $"failed with status {outcome.ShellStatus}";
            throw new PartsException($"environment file {file} {what}; no script was run", outcome.Succeeded ? 1 : outcome.ShellStatus);
        }

        return Normalise(environment, baseEnvironment);
    }

    internal static bool IsEnvironmentName(string name)
    {
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
            {
                return false;
            }
        }

        return name.Length > 0;
    }

    private static byte[] ReadAll(SafeFileHandle handle)
    {
        var bytes = new byte[RandomAccess.GetLength(handle)];
        int read = 0;
        while (read < bytes.Length)
        {
            int n = RandomAccess.Read(handle, bytes.AsSpan(read), read);
            if (n <= 0)
            {
                break;
            }

            read += n;
        }

        return bytes;
    }

    /// <summary>Splits the loader's fd-3 stream into the last file begun and the final environment (null if it never got there).</summary>
    internal static (string? CurrentFile, List<KeyValuePair<string, string>>? Environment) Parse(byte[] output)
    {
        string? current = null;
        List<KeyValuePair<string, string>>? environment = null;
        // Names and values keep their bytes, UTF-8 or not: scripts get what environment.d exported.
        foreach (string token in OsText.Decode(output).Split('\0'))
        {
            if (environment is not null)
            {
                int eq = token.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    environment.Add(new(token[..eq], token[(eq + 1)..]));
                }
            }
            else if (token.StartsWith('F'))
            {
                current = token[1..];
            }
            else if (token == "E")
            {
                environment = [];
            }
        }

        return (current, environment);
    }

    /// <summary>bash adds <c>_</c> and raises SHLVL; scripts should see neither.</summary>
    private static ProcessEnvironment Normalise(List<KeyValuePair<string, string>> environment, ProcessEnvironment baseEnvironment)
    {
        environment.RemoveAll(pair => pair.Key is "_" or "SHLVL");
        if (baseEnvironment.Get("SHLVL") is { } level)
        {
            environment.Add(new("SHLVL", level));
        }

        return ProcessEnvironment.FromPairs(environment);
    }
}
