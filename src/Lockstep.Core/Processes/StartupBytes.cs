using System.Text;

namespace Lockstep.Processes;

/// <summary>
/// The command line and environment as the kernel handed them to this process, byte for byte.
/// .NET decodes both as UTF-8 and puts U+FFFD for every byte that is not, so a directory named in
/// Latin-1 would be lost before Lockstep sees it (README, "Paths are bytes"). The kernel's copies in
/// <c>/proc/self</c> are decoded with <see cref="OsText"/> instead, after checking that they are the
/// very words .NET decoded.
/// </summary>
public static class StartupBytes
{
    /// <summary>argv as exec'd, argv[0] first; null when <c>/proc/self/cmdline</c> cannot be read.</summary>
    public static IReadOnlyList<byte[]>? CommandLine() => Words("/proc/self/cmdline");

    /// <summary>The environment as exec'd ("KEY=VALUE" words); null when <c>/proc/self/environ</c> cannot be read.</summary>
    public static IReadOnlyList<byte[]>? Environment() => Words("/proc/self/environ");

    /// <summary><paramref name="args"/> (what .NET gave Main) with their exact bytes, or unchanged when the kernel's words are not theirs.</summary>
    public static string[] Arguments(string[] args) => Recover(CommandLine(), args);

    /// <summary>
    /// The last <paramref name="args"/>.Length words of <paramref name="argv"/> decoded by
    /// <see cref="OsText"/>, when each of them is, <see cref="Lossy"/>, the argument .NET gave (the words
    /// before them are the program: the binary, or <c>dotnet</c> and the dll). Otherwise
    /// <paramref name="args"/> as given: better the lossy text than someone else's words.
    /// </summary>
    public static string[] Recover(IReadOnlyList<byte[]>? argv, string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (argv is null || argv.Count < args.Length)
        {
            return args;
        }

        int offset = argv.Count - args.Length;
        var exact = new string[args.Length];
        for (int i = 0; i < args.Length; i++)
        {
            exact[i] = OsText.Decode(argv[offset + i]);
            if (Lossy(exact[i]) != Lossy(args[i]))
            {
                return args;
            }
        }

        return exact;
    }

    /// <summary>
    /// What a lossy decoder leaves of <paramref name="text"/>: each run of U+FFFD and escaped bytes
    /// as one U+FFFD. Decoders differ in how many U+FFFD they put for one bad sequence (one per
    /// byte, one per maximal subpart), so words are compared this way.
    /// </summary>
    public static string Lossy(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lossy = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            bool bad = c == '\uFFFD' || OsText.IsEscapedByte(c);
            if (!bad || lossy.Length == 0 || lossy[^1] != '\uFFFD')
            {
                lossy.Append(bad ? '\uFFFD' : c);
            }
        }

        return lossy.ToString();
    }

    /// <summary>Splits a NUL-separated block (each word NUL-terminated) into its words.</summary>
    public static List<byte[]> Split(ReadOnlySpan<byte> block)
    {
        var words = new List<byte[]>();
        while (!block.IsEmpty)
        {
            int end = block.IndexOf((byte)0);
            words.Add(block[..(end < 0 ? block.Length : end)].ToArray());
            block = end < 0 ? [] : block[(end + 1)..];
        }

        return words;
    }

    private static List<byte[]>? Words(string path)
    {
        try
        {
            return Split(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
