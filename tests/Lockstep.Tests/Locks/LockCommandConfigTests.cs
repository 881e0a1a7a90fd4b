using Lockstep.Tests.Support;
using Lockstep.Tests.Support.ForemanDlm;
using static Lockstep.Tests.Locks.LockCommandTests;

namespace Lockstep.Tests.Locks;

/// <summary><c>lockstep lock</c> with a configuration it cannot use: one line naming the file and key, exit 2, no request sent.</summary>
public sealed class LockCommandConfigTests : IDisposable
{
    private readonly ForemanDlmServer _server = ForemanDlmServer.Start();

    public void Dispose() => _server.Dispose();

    [Theory]
    [InlineData("foreman_url", null, "[main] foreman_url is missing; the foreman lock backend needs it")]
    [InlineData("foreman_url", "http://foreman.example.com", "is not https")]
    [InlineData("client_key", "/nonexistent/web1.key", "[main] client_key = '/nonexistent/web1.key': the file does not exist")]
    [InlineData("client_key", "{ca}", "[main] client_key = '{ca}' holds no unencrypted PEM private key matching client_crt")]
    [InlineData("client_key", "{otherkey}", "[main] client_key = '{otherkey}' holds no unencrypted PEM private key matching client_crt")]
    [InlineData("client_crt", "{config}", "[main] client_crt = '{config}' holds no PEM certificate")]
    [InlineData("ca", "{dir}", "[main] ca = '{dir}': the file cannot be read (it is a directory)")]
    [InlineData("lock_name", null, "[main] lock_name is missing")]
    [InlineData("http_timeout", "0", "[main] http_timeout = '0': a hung server must not block the fleet")]
    [InlineData("backend", "zookeeper", "[main] backend = 'zookeeper' is not a known lock backend")]
    public void Bad_configuration_exits_2_with_one_line_naming_the_key(string key, string? value, string expected)
    {
        string config = _server.WriteConfig("web1");
        string otherKey = _server.ClientCertFor("web2").KeyPath;
        string Expand(string text) => text.Replace("{otherkey}", otherKey).Replace("{ca}", _server.CaPemPath).Replace("{config}", config).Replace("{dir}", _server.Directory);
        var lines = File.ReadAllLines(config).Where(l => !l.StartsWith($"{key} =", StringComparison.Ordinal)).ToList();
        if (value is not null)
        {
            lines.Insert(1, $"{key} = {Expand(value)}");
        }

        File.WriteAllLines(config, lines);

        var result = LockstepCli.Run("lock", "status", "--config", config);

        result.ExitCode.ShouldBe(2, result.ToString());
        OneErrorLine(result).ShouldContain(value is null ? $"{config}: [main] {key}" : $"{config}:2: [main] {key}");
        OneErrorLine(result).ShouldContain(Expand(expected));
        _server.Requests.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("http://user:hunter2@foreman.example.com")]
    [InlineData("https://user:hunter2@foreman.example.com")]
    [InlineData("http://hunter2@foreman.example.com/prefix")]
    public void A_foreman_url_with_credentials_exits_2_without_showing_them(string url)
    {
        string config = _server.WriteConfig("web1");
        var lines = File.ReadAllLines(config).Where(l => !l.StartsWith("foreman_url =", StringComparison.Ordinal)).ToList();
        lines.Insert(1, $"foreman_url = {url}");
        File.WriteAllLines(config, lines);

        var result = LockstepCli.Run("lock", "status", "--config", config);

        CredentialsRefused(result, $"{config}:2: [main] foreman_url = 'http", "://***@foreman.example.com");
        _server.Requests.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("etcd", "endpoints = https://root:hunter2@127.0.0.1:2379")]
    [InlineData("fleetlock", "url = https://zincati:hunter2@127.0.0.1:3333")]
    public void A_server_url_with_credentials_exits_2_without_showing_them(string backend, string url)
    {
        using var dir = new TempDir();
        string config = dir.File("update.ini", $"[main]\nbackend = {backend}\nlock_name = default\n\n[{backend}]\n{url}\n");

        var result = LockstepCli.Run("lock", "status", "--config", config);

        CredentialsRefused(result, $"{config}:6: [{backend}] ", "'https://***@127.0.0.1:");
    }

    /// <summary>Exit 2 with one line naming the setting, the URL shown masked, and the password nowhere.</summary>
    /// <summary>
    /// A secret in a query, a fragment or a connection string's password: refused (exit 2), and no
    /// part of it shown. 620a6ee printed the query and fragment in lock status and echoed the
    /// fragment of a password holding ';' that Npgsql could not set.
    /// </summary>
    [Theory]
    [InlineData("fleetlock", "url = http://127.0.0.1:9/base?apikey=hunter2", "hunter2", "[fleetlock] url = 'http://127.0.0.1:9/base?***' has a query or fragment; remove it")]
    [InlineData("fleetlock", "url = http://127.0.0.1:9/base#hunter2", "hunter2", "[fleetlock] url = 'http://127.0.0.1:9/base#***' has a query or fragment; remove it")]
    [InlineData("fleetlock", "url = http://127.0.0.1:9?token=hunter2", "hunter2", "[fleetlock] url = 'http://127.0.0.1:9?***' has a query or fragment; remove it")]
    [InlineData("etcd", "endpoints = http://127.0.0.1:9/?token=hunter2", "hunter2", "[etcd] endpoints: 'http://127.0.0.1:9/?***' has a query or fragment; remove it")]
    [InlineData("postgres", "connection = Host=127.0.0.1;Port=9;Password=hun;ter2=x", "ter2", "[postgres] connection is not a valid Npgsql connection string")]
    [InlineData("postgres", "connection = Host=127.0.0.1;Port=9;Password=a;b;hunter2=c", "hunter2", "[postgres] connection is not a valid Npgsql connection string")]
    [InlineData("postgres", "connection = Host=127.0.0.1;Port=9;Username=u;Password=hunter;s3cr3t=x", "s3cr3t", "[postgres] connection is not a valid Npgsql connection string")]
    public void No_part_of_a_secret_in_a_server_url_or_connection_string_is_shown(string backend, string line, string secret, string expected)
    {
        using var dir = new TempDir();
        string config = dir.File("update.ini", $"[main]\nbackend = {backend}\nlock_name = default\n\n[{backend}]\n{line}\n");

        var result = LockstepCli.Run("lock", "status", "--config", config);

        result.ExitCode.ShouldBe(2, result.ToString());
        OneErrorLine(result).ShouldContain($"{config}:6: {expected}");
        result.Stderr.ShouldNotContain(secret);
        result.Stdout.ShouldNotContain(secret);
    }

    private static void CredentialsRefused(CliResult result, string where, string masked)
    {
        result.ExitCode.ShouldBe(2, result.ToString());
        OneErrorLine(result).ShouldContain(where);
        OneErrorLine(result).ShouldContain(masked);
        OneErrorLine(result).ShouldContain("holds a user name or password; remove it");
        result.Stderr.ShouldNotContain("hunter2");
    }

    [Fact]
    public void A_missing_config_file_exits_2_naming_it()
    {
        string missing = Path.Combine(_server.Directory, "absent.ini");

        var result = LockstepCli.Run("lock", "acquire", "--config", missing);

        result.ExitCode.ShouldBe(2, result.ToString());
        OneErrorLine(result).ShouldEndWith($"{missing}: configuration file not found; create it or pass --config FILE");
    }

    [Fact]
    public void The_update_configuration_without_script_directories_is_enough()
    {
        var (cert, key) = _server.ClientCertFor("web1");
        string config = Path.Combine(_server.Directory, "minimal.ini");
        File.WriteAllText(config, $"[main]\nlock_name = updates\nforeman_url = {_server.Url}/\nclient_crt = {cert}\nclient_key = {key}\nca = {_server.CaPemPath}\n");

        var result = LockstepCli.Run("lock", "acquire", "--config", config);

        result.ExitCode.ShouldBe(0, result.ToString());
        _server.HolderOf("updates").ShouldBe("web1");
    }
}
