using Lockstep.Config;

namespace Lockstep.Locks;

/// <summary>
/// The id a host holds locks under: <c>[main] holder_id</c>, else the host name the kernel reports
/// (readable in <c>lockstep lock status</c>, and the same on every run of the host).
/// </summary>
public static class HolderId
{
    public static string Resolve(IniFile config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Get("main", "holder_id") is { } configured)
        {
            if (string.IsNullOrWhiteSpace(configured.Text))
            {
                throw new ConfigException($"{configured.Where} is empty; give this host's id or remove the key to use the host name");
            }

            return configured.Text;
        }

        return HostName();
    }

    public static string HostName()
    {
        try
        {
            string name = File.ReadAllText("/proc/sys/kernel/hostname").Trim();
            if (name.Length > 0)
            {
                return name;
            }
        }
        catch (IOException)
        {
        }

        return Environment.MachineName;
    }
}
