using System.Text;

namespace Lockstep.Locks.Etcd;

/// <summary>coreos/airlock's key layout, so Lockstep and FleetLock hosts behind airlock share one semaphore.</summary>
public static class EtcdKeys
{
    public static string Semaphore(string group) => $"com.coreos.airlock/groups/{QueryEscape(group)}/v1/semaphore";

    /// <summary>
    /// Go's url.QueryEscape: every byte but ASCII letters, digits and <c>-_.~</c> as %XX
    /// (upper-case), a space as '+'.
    /// </summary>
    public static string QueryEscape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var escaped = new StringBuilder(text.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                escaped.Append((char)b);
            }
            else if (b == (byte)' ')
            {
                escaped.Append('+');
            }
            else
            {
                escaped.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return escaped.ToString();
    }
}
