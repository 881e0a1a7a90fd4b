using System.Text;
using System.Text.Json;

namespace Lockstep.Tests.Support;

/// <summary>Reads and writes etcd keys directly through the JSON gateway, independently of the code under test.</summary>
public static class EtcdRaw
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public static async Task PutAsync(string endpoint, string key, string value)
    {
        string body = $$"""{"key":"{{B64(key)}}","value":"{{B64(value)}}"}""";
        using var response = await Http.PostAsync(new Uri($"{endpoint}/v3/kv/put"), new StringContent(body));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The value, or null when the key is absent.</summary>
    public static async Task<string?> GetAsync(string endpoint, string key)
    {
        using var response = await Http.PostAsync(new Uri($"{endpoint}/v3/kv/range"), new StringContent($$"""{"key":"{{B64(key)}}"}"""));
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        if (!json.RootElement.TryGetProperty("kvs", out var kvs))
        {
            return null;
        }

        return Encoding.UTF8.GetString(Convert.FromBase64String(kvs[0].TryGetProperty("value", out var v) ? v.GetString()! : ""));
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
