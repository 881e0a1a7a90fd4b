namespace Lockstep.Http;

/// <summary>A server's base URL as config gives it, ready for the API's paths to be appended.</summary>
public static class BaseUrl
{
    /// <summary>
    /// An absolute http:// or https:// URL with a host, ending in '/' so that a path prefix (a
    /// proxy's) is kept when relative paths are resolved against it; null when the text is not one.
    /// </summary>
    public static Uri? Parse(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Host.Length == 0)
        {
            return null;
        }

        return url.AbsolutePath.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
    }
}
