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

        // A query (an API key) or fragment would be dropped from every request built on the base, and shown in messages.
        if (url.Query.Length > 1 || url.Fragment.Length > 1 || text.Contains('?', StringComparison.Ordinal) || text.Contains('#', StringComparison.Ordinal))
        {
            throw new ConfigException(
                $"{subject(Masked(text))} has a query or fragment; remove it: Lockstep appends the API's paths to the base URL (a path prefix is kept), " +
                "so a query would be lost, and messages would show it (a client certificate, cert and key, authenticates instead)");
        }

        // The path prefix (a proxy's /base) is kept: API paths are resolved relative to a base ending in '/'.
        string path = url.GetLeftPart(UriPartial.Path);
        return new Uri(path.EndsWith('/') ? path : path + "/");
    }

    /// <summary>The text with whatever stands before an '@' in its authority, and any query or fragment, replaced by "***".</summary>
    internal static string Masked(string text)
    {
        int scheme = text.IndexOf("://", StringComparison.Ordinal);
        int start = scheme < 0 ? 0 : scheme + 3;
        int end = text.IndexOfAny(['/', '?', '#'], start);
        end = end < 0 ? text.Length : end;
        int at = end > start ? text.LastIndexOf('@', end - 1, end - start) : -1;
        string shown = at < 0 ? text : $"{text[..start]}***{text[at..]}";
        int query = shown.IndexOfAny(['?', '#'], Math.Min(shown.Length, start));
        return query < 0 ? shown : $"{shown[..(query + 1)]}***";
    }
}
