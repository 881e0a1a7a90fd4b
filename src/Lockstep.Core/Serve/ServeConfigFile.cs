using Lockstep.Config;

namespace Lockstep.Serve;

/// <summary>
/// Loads <c>serve.ini</c>. Whoever can change it picks the lock store and its credentials, so it
/// meets the trust rule every configuration meets (README, "Which paths Lockstep trusts"), checked
/// by <see cref="IniFile.Load"/> on the very file it reads.
/// </summary>
public static class ServeConfigFile
{
    public const string DefaultPath = "/etc/lockstep/serve.ini";

    public static IniFile Load(string path) => IniFile.Load(path);
}
