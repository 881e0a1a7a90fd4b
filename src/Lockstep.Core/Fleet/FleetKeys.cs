using Lockstep.Locks.Etcd;

namespace Lockstep.Fleet;

/// <summary>
/// The keys of a lock's fleet view, under <c>lockstep/</c> (never inside airlock's
/// <c>com.coreos.airlock/</c>). Lock names and holder ids are query-escaped, so any character is
/// safe in a key, a file name or a SQL value, and one lock's prefix never contains another's.
/// </summary>
public static class FleetKeys
{
    public const string Root = "lockstep/fleet/";

    public static string Lock(string lockName) => $"{Root}{EtcdKeys.QueryEscape(lockName)}/";

    public static string Hosts(string lockName) => $"{Lock(lockName)}hosts/";

    public static string Host(string lockName, string holderId) => Hosts(lockName) + EtcdKeys.QueryEscape(holderId);

    public static string Audits(string lockName) => $"{Lock(lockName)}audit/";

    public static string Audit(string lockName, string holderId) => Audits(lockName) + EtcdKeys.QueryEscape(holderId);

    public static string Pause(string lockName) => $"{Lock(lockName)}pause";

    /// <summary>The holder id a host or audit key names.</summary>
    public static string IdOf(string key, string prefix) => Uri.UnescapeDataString(key[prefix.Length..].Replace('+', ' '));
}
