using System.Text;

namespace Lockstep.Locks;

/// <summary>The start of a server's answer, quoted on one line, for error messages about answers that make no sense.</summary>
internal static class Excerpt
{
    public static string Of(ReadOnlySpan<byte> body, int max = 120)
    {
        string text = Encoding.UTF8.GetString(body);
        string shown = new string(text.Take(max).Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim();
        if (shown.Length == 0)
        {
            return "empty";
        }

        return text.Length > max ? $"'{shown}...'" : $"'{shown}'";
    }
}
