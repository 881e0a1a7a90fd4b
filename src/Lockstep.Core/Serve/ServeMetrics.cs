using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Lockstep.Locks;

namespace Lockstep.Serve;

/// <summary>
/// The server's counters, and the Prometheus text exposition of them plus each group's holders
/// and slots as the store reports them at scrape time.
/// </summary>
public sealed class ServeMetrics
{
    private readonly ConcurrentDictionary<(string Endpoint, string Result), long> _requests = new();
    private long _storeErrors;

    public void CountRequest(string endpoint, string result) =>
        _requests.AddOrUpdate((endpoint, result), 1, static (_, n) => n + 1);

    public void CountStoreError() => Interlocked.Increment(ref _storeErrors);

    /// <summary>
    /// The exposition; <paramref name="groups"/> are the configured slots, <paramref name="stored"/>
    /// the store's view of each group that answered (a group whose read failed is left out).
    /// </summary>
    public string Render(IReadOnlyDictionary<string, int> groups, IReadOnlyDictionary<string, LockState> stored)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(stored);
        var text = new StringBuilder();
        Family(text, "lockstep_serve_requests_total", "counter", "FleetLock requests by endpoint and result (ok or the error kind).");
        foreach (var ((endpoint, result), count) in _requests.OrderBy(p => p.Key.Endpoint, StringComparer.Ordinal).ThenBy(p => p.Key.Result, StringComparer.Ordinal))
        {
            Sample(text, "lockstep_serve_requests_total", $"endpoint=\"{Escape(endpoint)}\",result=\"{Escape(result)}\"", count);
        }

        Family(text, "lockstep_serve_store_errors_total", "counter", "Calls to the lock store that failed (unreachable, refused or a damaged value).");
        Sample(text, "lockstep_serve_store_errors_total", null, Interlocked.Read(ref _storeErrors));

        Family(text, "lockstep_serve_group_slots", "gauge", "Slots configured per group.");
        foreach (var (group, slots) in groups.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Sample(text, "lockstep_serve_group_slots", Group(group), slots);
        }

        Family(text, "lockstep_serve_group_store_slots", "gauge", "Slots per group as the store has them (a semaphore keeps the slots it was created with).");
        foreach (var (group, state) in stored.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (state.Slots is { } slots)
            {
                Sample(text, "lockstep_serve_group_store_slots", Group(group), slots);
            }
        }

        Family(text, "lockstep_serve_group_holders", "gauge", "Slots held per group, in the store.");
        foreach (var (group, state) in stored.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Sample(text, "lockstep_serve_group_holders", Group(group), state.Holders.Count);
        }

        return text.ToString();
    }

    private static string Group(string group) => $"group=\"{Escape(group)}\"";

    private static void Family(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder text, string name, string? labels, long value)
    {
        text.Append(name);
        if (labels is not null)
        {
            text.Append('{').Append(labels).Append('}');
        }

        text.Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    // The exposition format's label escapes: backslash, double quote, newline.
    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
