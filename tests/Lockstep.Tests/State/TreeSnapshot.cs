using System.Text;
using Lockstep.Processes;

namespace Lockstep.Tests.State;

/// <summary>A tree described line by line (type, mode, owner, mtime, content or link target), for comparing copies.</summary>
public static class TreeSnapshot
{
    /// <summary>Each entry relative to <paramref name="root"/>; the root's own line is named ".".</summary>
    public static List<string> Of(string root, bool withRootMtime = true)
    {
        var lines = new List<string>();
        Describe(root, ".", lines, withRootMtime);
        return lines;
    }

    private static void Describe(string path, string name, List<string> lines, bool withMtime)
    {
        FileStat.TryLstat(path, out var stat).ShouldBe(0, path);
        string mtime = withMtime ? $"{stat.MtimeSeconds}.{stat.MtimeNanoseconds:D9}" : "-";
        string what = stat switch
        {
            { IsSymlink: true } => "-> " + new FileInfo(path).LinkTarget,
            { IsRegularFile: true } => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)))[..16],
            _ => "",
        };
        var line = new StringBuilder().Append(name).Append(' ').Append(Convert.ToString(stat.Mode, 8)).Append(' ')
            .Append(stat.Uid).Append(':').Append(stat.Gid).Append(' ').Append(mtime).Append(' ').Append(what);
        lines.Add(line.ToString());
        if (stat.IsDirectory)
        {
            var options = new EnumerationOptions { AttributesToSkip = 0 };
            foreach (string child in Directory.EnumerateFileSystemEntries(path, "*", options).Order(StringComparer.Ordinal))
            {
                Describe(child, name + "/" + Path.GetFileName(child), lines, true);
            }
        }
    }
}
