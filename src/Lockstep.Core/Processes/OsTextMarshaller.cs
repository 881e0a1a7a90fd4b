using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;

namespace Lockstep.Processes;

/// <summary>
/// How every libc call that takes a path gets it: the exact bytes of <see cref="OsText"/>, NUL
/// terminated. .NET's own UTF-8 marshalling would turn a byte that is not UTF-8 into U+FFFD, so the
/// kernel would look up another name.
/// </summary>
[CustomMarshaller(typeof(string), MarshalMode.ManagedToUnmanagedIn, typeof(OsTextMarshaller))]
internal static unsafe class OsTextMarshaller
{
    public static byte* ConvertToUnmanaged(string? managed)
    {
        if (managed is null)
        {
            return null;
        }

        int count = OsText.GetByteCount(managed);
        var native = (byte*)NativeMemory.Alloc((nuint)count + 1);
        OsText.Encode(managed, new Span<byte>(native, count));
        native[count] = 0;
        return native;
    }

    public static void Free(byte* unmanaged) => NativeMemory.Free(unmanaged);
}
