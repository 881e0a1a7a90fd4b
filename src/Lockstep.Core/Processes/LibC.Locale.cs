using System.Runtime.InteropServices;

namespace Lockstep.Processes;

/// <summary>The locale calls grep's character classes and collation come from (glibc's own tables, never a copy of them).</summary>
internal static unsafe partial class LibC
{
    public const int LC_CTYPE_MASK = 1;
    public const int LC_COLLATE_MASK = 8;

    /// <summary>nl_langinfo item: the charset of LC_CTYPE ("UTF-8", "ANSI_X3.4-1968", "ISO-8859-1").</summary>
    public const int CODESET = 14;

    /// <summary>nl_langinfo item: how many collation rules LC_COLLATE has; 0 means code point order (C, POSIX, C.UTF-8).</summary>
    public const int NL_COLLATE_NRULES = 0x30000;

    public const uint WEOF = 0xFFFFFFFF;

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(OsTextMarshaller))]
    public static partial nint newlocale(int categoryMask, string locale, nint baseLocale);

    [LibraryImport(Lib)]
    public static partial void freelocale(nint locale);

    [LibraryImport(Lib)]
    public static partial nint uselocale(nint locale);

    [LibraryImport(Lib)]
    public static partial nint nl_langinfo_l(int item, nint locale);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(OsTextMarshaller))]
    public static partial nuint wctype_l(string property, nint locale);

    [LibraryImport(Lib)]
    public static partial int iswctype_l(uint wc, nuint description, nint locale);

    /// <summary>The wide character a single byte stands for in the thread's locale (<see cref="uselocale"/>), or <see cref="WEOF"/>.</summary>
    [LibraryImport(Lib)]
    public static partial uint btowc(int c);

    /// <summary>MB_CUR_MAX of the thread's locale: 1 for single-byte charsets.</summary>
    [LibraryImport(Lib)]
    public static partial nuint __ctype_get_mb_cur_max();
}
