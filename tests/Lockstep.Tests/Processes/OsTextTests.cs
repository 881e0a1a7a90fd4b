using System.Text;
using Lockstep.Logging;
using Lockstep.Processes;

namespace Lockstep.Tests.Processes;

/// <summary>The one codec between the kernel's bytes and Lockstep's strings: lossless for every byte sequence, plain UTF-8 for UTF-8.</summary>
public sealed class OsTextTests
{
    /// <summary>One of each class of byte sequence that is not UTF-8, and UTF-8 around it.</summary>
    public static TheoryData<string, byte[], string> Sequences => new()
    {
        { "a Latin-1 byte", [0x63, 0x61, 0x66, 0xE9], "caf\\xe9" },
        { "a lone continuation byte", [0x80, 0x78], "\\x80x" },
        { "an overlong '/'", [0x61, 0xC0, 0xAF, 0x62], "a\\xc0\\xafb" },
        { "an overlong NUL", [0xC0, 0x80], "\\xc0\\x80" },
        { "a three-byte overlong", [0xE0, 0x80, 0xAF], "\\xe0\\x80\\xaf" },
        { "a surrogate encoded in UTF-8", [0xED, 0xA0, 0x80], "\\xed\\xa0\\x80" },
        { "a low surrogate encoded in UTF-8", [0xED, 0xB3, 0xBF], "\\xed\\xb3\\xbf" },
        { "a sequence cut short at the end", [0x78, 0xE2, 0x82], "x\\xe2\\x82" },
        { "a sequence cut short by ASCII", [0xE2, 0x82, 0x41], "\\xe2\\x82A" },
        { "a code point above U+10FFFF", [0xF4, 0x90, 0x80, 0x80], "\\xf4\\x90\\x80\\x80" },
        { "bytes never in UTF-8", [0xFF, 0xFE, 0xC1], "\\xff\\xfe\\xc1" },
        { "UTF-8 beside a bad byte", [0xC3, 0xA9, 0x74, 0xE9], "\u00e9t\\xe9" },
        { "a four-byte character beside a bad byte", [0xF0, 0x9F, 0x92, 0xA9, 0xFF], "\U0001F4A9\\xff" },
        { "bytes that spell an escape's UTF-16", [0xDC, 0xE9], "\\xdc\\xe9" },
    };

    [Theory]
    [MemberData(nameof(Sequences))]
    public void Bytes_that_are_not_utf8_survive_the_round_trip(string what, byte[] bytes, string shown)
    {
        string text = OsText.Decode(bytes);

        OsText.Encode(text).ShouldBe(bytes, what);
        OsText.GetByteCount(text).ShouldBe(bytes.Length, what);
        OsText.EncodeTerminated(text).ShouldBe([.. bytes, 0], what);
        text.ShouldNotContain('\uFFFD', what);
        Printable.Escape(text).ShouldBe(shown, what);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/usr/libexec/os-refresh-config")]
    [InlineData("caf\u00e9/\u65e5\u672c/\U0001F4A9")]
    [InlineData("\uFFFD is a character of its own")]
    public void Valid_utf8_is_decoded_and_encoded_as_utf8(string text)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(text);

        OsText.Encode(text).ShouldBe(utf8);
        OsText.Decode(utf8).ShouldBe(text);
    }

    [Fact]
    public void Every_single_byte_and_every_byte_pair_round_trips()
    {
        var pair = new byte[2];
        for (int first = 0; first < 256; first++)
        {
            OsText.Encode(OsText.Decode([(byte)first])).ShouldBe([(byte)first]);
            for (int second = 0; second < 256; second++)
            {
                pair[0] = (byte)first;
                pair[1] = (byte)second;
                OsText.Encode(OsText.Decode(pair)).ShouldBe(pair);
            }
        }
    }

    [Fact]
    public void Random_byte_strings_round_trip()
    {
        var random = new Random(9);
        var bytes = new byte[64];
        for (int i = 0; i < 20_000; i++)
        {
            random.NextBytes(bytes.AsSpan(0, random.Next(bytes.Length)));
            var sample = bytes.AsSpan(0, random.Next(bytes.Length)).ToArray();
            OsText.Encode(OsText.Decode(sample)).ShouldBe(sample);
        }
    }

    // Strings with lone surrogates are built here, not passed as theory data: the test runner's serialization would replace them.
    [Fact]
    public void A_surrogate_no_decoding_made_encodes_as_dotnet_does()
    {
        foreach (string text in new[] { $"{(char)0xD800}", $"a{(char)0xDC41}b", $"{(char)0xDBFF}{(char)0xDC80}", "\uD83D\uDCA9" })
        {
            OsText.Encode(text).ShouldBe(Encoding.UTF8.GetBytes(text), text);
        }
    }

    [Fact]
    public void A_stored_path_shows_only_its_bad_bytes_escaped()
    {
        Printable.EscapeBytes($"caf{(char)0xDCE9}").ShouldBe("caf\\xe9");
        Printable.EscapeBytes($"a\nb{(char)0xDCFF}").ShouldBe("a\nb\\xff");
        Printable.EscapeBytes("plain \u00e9").ShouldBe("plain \u00e9");
    }

    [Fact]
    public void A_message_shows_a_lone_surrogate_no_decoding_made_by_its_code()
    {
        Printable.Escape($"x{(char)0xD800}y{(char)0xDC41}").ShouldBe("x\\ud800y\\udc41");
    }
}
