using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Lockstep.Processes;

/// <summary>
/// Paths, arguments and environment variables are bytes on Linux, not text (README, "Paths are
/// bytes"). Lockstep carries them as .NET strings without losing a byte, the way Python's
/// <c>surrogateescape</c> does: valid UTF-8 decodes as usual; each byte of a sequence that is not
/// valid UTF-8 (a Latin-1 byte, a lone continuation byte, an overlong form, an encoded surrogate)
/// becomes the lone surrogate U+DC00 + byte (U+DC80..U+DCFF), which valid UTF-8 can never produce.
/// <see cref="Encode(ReadOnlySpan{char})"/> turns those back into the very bytes, so what reaches the
/// kernel is what the user gave. This is the one codec between the kernel's bytes and Lockstep's
/// strings; <see cref="OsTextMarshaller"/> applies it to every libc call that takes a path.
/// </summary>
public static class OsText
{
    private const char EscapeBase = '\uDC00';
    private const char FirstEscape = '\uDC80';
    private const char LastEscape = '\uDCFF';

    /// <summary>The bytes as a string: valid UTF-8 decoded, every other byte escaped as U+DC80..U+DCFF.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        var text = new StringBuilder(bytes.Length);
        Span<char> pair = stackalloc char[2];
        while (!bytes.IsEmpty)
        {
            // The maximal invalid subsequence is consumed at once (never an ASCII byte: those always decode).
            if (Rune.DecodeFromUtf8(bytes, out var rune, out int consumed) == OperationStatus.Done)
            {
                text.Append(pair[..rune.EncodeToUtf16(pair)]);
            }
            else
            {
                foreach (byte b in bytes[..consumed])
                {
                    text.Append((char)(EscapeBase + b));
                }
            }

            bytes = bytes[consumed..];
        }

        return text.ToString();
    }

    /// <summary>True when <paramref name="c"/> stands for a byte that was not valid UTF-8.</summary>
    public static bool IsEscapedByte(char c) => c is >= FirstEscape and <= LastEscape;

    /// <summary>The byte an escape (<see cref="IsEscapedByte"/>) stands for.</summary>
    public static byte EscapedByte(char c) => (byte)(c - EscapeBase);

    /// <summary>The bytes <paramref name="text"/> stands for (no terminating NUL).</summary>
    public static byte[] Encode(ReadOnlySpan<char> text)
    {
        var bytes = new byte[GetByteCount(text)];
        Encode(text, bytes);
        return bytes;
    }

    /// <summary>The bytes plus a terminating NUL, for a C string.</summary>
    public static byte[] EncodeTerminated(ReadOnlySpan<char> text)
    {
        var bytes = new byte[GetByteCount(text) + 1];
        Encode(text, bytes);
        return bytes;
    }

    /// <summary>How many bytes <see cref="Encode(ReadOnlySpan{char}, Span{byte})"/> writes.</summary>
    public static int GetByteCount(ReadOnlySpan<char> text)
    {
        int count = 0;
        while (!text.IsEmpty)
        {
            int plain = PlainLength(text);
            count += Encoding.UTF8.GetByteCount(text[..plain]);
            text = text[plain..];
            if (!text.IsEmpty)
            {
                var (chars, bytes) = Special(text);
                count += bytes;
                text = text[chars..];
            }
        }

        return count;
    }

    /// <summary>Writes the bytes <paramref name="text"/> stands for; returns how many.</summary>
    public static int Encode(ReadOnlySpan<char> text, Span<byte> destination)
    {
        int written = 0;
        while (!text.IsEmpty)
        {
            int plain = PlainLength(text);
            written += Encoding.UTF8.GetBytes(text[..plain], destination[written..]);
            text = text[plain..];
            if (text.IsEmpty)
            {
                break;
            }

            var (chars, bytes) = Special(text);
            if (IsEscapedByte(text[0]))
            {
                destination[written] = EscapedByte(text[0]);
            }
            else if (chars == 2)
            {
                Encoding.UTF8.GetBytes(text[..2], destination[written..]);
            }
            else
            {
                // A lone surrogate no decoding made (from JSON, say) has no bytes: U+FFFD, as .NET's own encoder writes.
                "\uFFFD"u8.CopyTo(destination[written..]);
            }

            written += bytes;
            text = text[chars..];
        }

        return written;
    }

    /// <summary>Chars before the first surrogate: plain UTF-16 that UTF-8 encodes as usual.</summary>
    private static int PlainLength(ReadOnlySpan<char> text) =>
        text.IndexOfAnyInRange('\uD800', '\uDFFF') is var i and >= 0 ? i : text.Length;

    /// <summary>At a surrogate: how many chars it takes (a pair is 2) and how many bytes it becomes.</summary>
    private static (int Chars, int Bytes) Special(ReadOnlySpan<char> text) =>
        IsEscapedByte(text[0]) ? (1, 1)
        : text.Length > 1 && char.IsHighSurrogate(text[0]) && char.IsLowSurrogate(text[1]) ? (2, 4)
        : (1, 3);
}
