using Lockstep.Tests.Support;
using Lockstep.Tests.Support.ForemanDlm;

namespace Lockstep.Tests.Locks;

/// <summary>
/// The TLS files a configuration names (the CA that decides which lock server is trusted, the
/// client certificate and key) are configuration too: one another user could swap is refused with
/// one line naming the setting, exit 2, before any request, as the configuration file itself would be.
/// </summary>
public sealed class TlsFileTrustTests : IDisposable
{
    private const int Nobody = 65534;

    private readonly ForemanDlmServer _server = ForemanDlmServer.Start();
    private readonly TempDir _temp = new();

    public void Dispose()
    {
        _temp.Dispose();
        _server.Dispose();
    }

    private static void Sh(params string[] command)
    {
        using var process = System.Diagnostics.Process.Start(command[0], command[1..])!;
        process.WaitForExit();
        process.ExitCode.ShouldBe(0, string.Join(' ', command));
    }

    [Theory]
    [InlineData("ca", "owned")]
    [InlineData("client_crt", "writable")]
    [InlineData("client_key", "symlink")]
    public void A_tls_file_another_user_could_swap_is_refused_before_any_request(string key, string how)
    {
        string config = _server.WriteConfig("web1");
        string original = File.ReadAllLines(config).Single(l => l.StartsWith($"{key} = ", StringComparison.Ordinal))[(key.Length + 3)..];
        string copy = _temp[$"{how}/{key}.pem"];
        Directory.CreateDirectory(_temp[how]);
        File.Copy(original, copy);
        string named = copy;
        string expected;
        switch (how)
        {
            case "owned":
                Sh("chown", $"{Nobody}", _temp[how]);
                expected = $"TLS file {copy} is reached through directory {_temp[how]}, which is owned by uid {Nobody}";
                break;
            case "writable":
                File.SetUnixFileMode(copy, (UnixFileMode)0b110_110_110);
                expected = $"TLS file {copy} is writable by group and others (mode 0666); refusing to read it";
                break;
            default:
                named = _temp[$"{how}/link.pem"];
                File.CreateSymbolicLink(named, copy);
                Sh("chown", "-h", $"{Nobody}", named);
                expected = $"TLS file {named} is reached through symlink {named}, which is owned by uid {Nobody}";
                break;
        }

        File.WriteAllLines(config, File.ReadAllLines(config).Select(l => l.StartsWith($"{key} = ", StringComparison.Ordinal) ? $"{key} = {named}" : l));

        var result = LockstepCli.Run("lock", "status", "--config", config);

        result.ExitCode.ShouldBe(2, result.ToString());
        var line = result.Stderr.Trim().Split('\n').ShouldHaveSingleItem();
        line.ShouldContain($"[main] {key} = '{named}': {expected}");
        _server.Requests.ShouldBeEmpty();
    }
}
