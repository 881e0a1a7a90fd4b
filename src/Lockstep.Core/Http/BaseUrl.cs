using Lockstep.Config;

namespace Lockstep.Http;

/// <summary>A server's base URL as config gives it, ready for the API's paths to be appended.</summary>
public static class BaseUrl
{
    /// <summary>
    /// An absolute http:// or https:// URL with a host, ending in '/' so that a path prefix (a
    /// proxy's) is kept when relative paths are resolved against it. Anything else throws
    /// <see cref="ConfigException"/>: "<paramref name="subject"/>(the text) is not an http:// or
    /// https:// URL; <paramref name="hint"/>", or a refusal of credentials in the URL, which
    /// Lockstep never sends and which would show in every message naming the server. The text is
    /// shown with any credentials masked.
    /// </summary>
    /// <param name="subject">Names the setting, given the text as it may be shown: <c>shown => $"{where} = '{shown}'"</c>.</param>
    public static Uri Parse(string text, Func<string, string> subject, string hint)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(subject);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Host.Length == 0)
        {
            throw new ConfigException($"{subject(Masked(text))} is not an http:// or https:// URL; {hint}");
        }

        if (url.UserInfo.Length > 0)
        {
            throw new ConfigException(
                $"{subject(Masked(text))} holds a user name or password; remove it: Lockstep does not send URL credentials, and messages would show them (a client certificate, cert and key, authenticates instead)");
        }

        return url.AbsolutePath.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
    }

    /// <summary>The text with whatever stands before an '@' in its authority replaced by "***".</summary>
    internal static string Masked(string text)
    {
        int scheme = text.IndexOf("://", StringComparison.Ordinal);
        int start = scheme < 0 ? 0 : scheme + 3;
        int end = text.IndexOfAny(['/', '?', '#'], start);
        end = end < 0 ? text.Length : end;
        int at = end > start ? text.LastIndexOf('@', end - 1, end - start) : -1;
        return at < 0 ? text : $"{text[..start]}***{text[at..]}";
    }
}
