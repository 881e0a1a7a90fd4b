using System.Text;

namespace Lockstep.Update;

/// <summary>
/// Splits a command line from the config (reboot_cmd) into arguments as a POSIX shell splits words,
/// without any of a shell's expansions: blanks separate words, '...' is literal, "..." allows
/// \" \\ \$ \` escapes, and a backslash outside quotes keeps the next character. Nothing is run by a shell.
/// </summary>
public static class CommandWords
{
    /// <summary>The words; throws <see cref="FormatException"/> with the reason for an unterminated quote or trailing backslash.</summary>
    public static IReadOnlyList<string> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is ' ' or '\t' or '\n' or '\r')
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }

                continue;
            }

            inWord = true;
            switch (c)
            {
                case '\'':
                    int close = text.IndexOf('\'', i + 1);
                    if (close < 0)
                    {
                        throw new FormatException($"unterminated ' at offset {i}");
                    }

                    word.Append(text, i + 1, close - i - 1);
                    i = close;
                    break;
                case '"':
                    i = ReadDoubleQuoted(text, i, word);
                    break;
                case '\\':
                    if (++i >= text.Length)
                    {
                        throw new FormatException("a backslash ends the line");
                    }

                    word.Append(text[i]);
                    break;
                default:
                    word.Append(c);
                    break;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    private static int ReadDoubleQuoted(string text, int open, StringBuilder word)
    {
        for (int i = open + 1; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '"')
            {
                return i;
            }

            if (c == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`')
            {
                c = text[++i];
            }

            word.Append(c);
        }

        throw new FormatException($"unterminated \" at offset {open}");
    }
}
