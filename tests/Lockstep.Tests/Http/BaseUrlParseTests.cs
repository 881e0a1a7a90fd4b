using Lockstep.Config;
using Lockstep.Http;

namespace Lockstep.Tests.Http;

/// <summary>The one URL type every server URL goes through (etcd endpoints, FleetLock, Foreman).</summary>
public sealed class BaseUrlParseTests
{
    private static Uri Parse(string text) => BaseUrl.Parse(text, shown => $"url = '{shown}'", "give a base URL");

    [Theory]
    [InlineData("https://foreman.example.com", "https://foreman.example.com/")]
    [InlineData("http://10.0.0.1:2379", "http://10.0.0.1:2379/")]
    [InlineData("https://proxy.example.com/airlock", "https://proxy.example.com/airlock/")]
    [InlineData("https://proxy.example.com/airlock/", "https://proxy.example.com/airlock/")]
    public void A_base_url_ends_in_a_slash_so_relative_paths_keep_its_prefix(string text, string expected)
    {
        var url = Parse(text);

        url.AbsoluteUri.ShouldBe(expected);
        new Uri(url, "v1/pre-reboot").AbsolutePath.ShouldEndWith("/v1/pre-reboot");
        new Uri(url, "v1/pre-reboot").AbsoluteUri.ShouldStartWith(expected);
    }

    [Theory]
    [InlineData("foreman.example.com", "url = 'foreman.example.com' is not an http:// or https:// URL; give a base URL")]
    [InlineData("ftp://foreman.example.com", "url = 'ftp://foreman.example.com' is not an http:// or https:// URL")]
    [InlineData("https://user:hunter2@foreman.example.com", "url = 'https://***@foreman.example.com' holds a user name or password; remove it")]
    [InlineData("user:hunter2@foreman.example.com", "url = '***@foreman.example.com' is not an http:// or https:// URL")]
    public void Anything_else_is_refused_without_showing_credentials(string text, string expected)
    {
        var error = Should.Throw<ConfigException>(() => Parse(text));

        error.Message.ShouldStartWith(expected);
        error.Message.ShouldNotContain("hunter2");
    }
}
