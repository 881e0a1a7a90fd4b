using Lockstep.Config;
using Lockstep.Locks;
using Lockstep.Locks.Etcd;
using Lockstep.Locks.FleetLock;
using Lockstep.Locks.Postgres;
using Lockstep.Tests.Support;
using Npgsql;

namespace Lockstep.Tests.Locks;

public sealed class BackendConfigTests
{
    [Theory]
    [InlineData("etcd", "[etcd]\nendpoints = http://127.0.0.1:2379", typeof(EtcdLockBackend))]
    [InlineData("ETCD", "[etcd]\nendpoints = http://127.0.0.1:2379", typeof(EtcdLockBackend))]
    [InlineData("postgres", "[postgres]\nconnection = Host=127.0.0.1;Username=u;Password=p", typeof(PostgresLockBackend))]
    [InlineData("fleetlock", "[fleetlock]\nurl = http://127.0.0.1:3333", typeof(FleetLockBackend))]
    public void The_factory_builds_the_backend_named_in_main(string backend, string section, Type type)
    {
        var created = LockContexts.Backend($"[main]\nbackend = {backend}\n{section}\n");
        created.ShouldBeOfType(type);
    }

    [Theory]
    [InlineData("[etcd]\nslots = 2", "/etc/lockstep/config.ini: [etcd] endpoints is missing")]
    [InlineData("[etcd]\nendpoints = ", "/etc/lockstep/config.ini:4: [etcd] endpoints is empty")]
    [InlineData("[etcd]\nendpoints = http://a:2379, 10.0.0.2:2379", "/etc/lockstep/config.ini:4: [etcd] endpoints: '10.0.0.2:2379' is not an http:// or https:// URL")]
    [InlineData("[etcd]\nendpoints = ftp://a", "'ftp://a' is not an http:// or https:// URL")]
    [InlineData("[etcd]\nendpoints = http://a:2379\nslots = 0", "/etc/lockstep/config.ini:5: [etcd] slots = '0' is not a whole number 1 or more")]
    [InlineData("[etcd]\nendpoints = http://a:2379\nslots = -3", "[etcd] slots = '-3' is not a whole number 1 or more")]
    [InlineData("[etcd]\nendpoints = https://a:2379\ncert = /etc/ssl/host.pem", "[etcd] cert is set but [etcd] key is not")]
    [InlineData("[etcd]\nendpoints = https://a:2379\nca = /nonexistent/ca.pem", "[etcd] ca = '/nonexistent/ca.pem': the file does not exist: fix the path")]
    public void Etcd_settings_are_checked_before_any_call(string section, string message) =>
        ConfigError("etcd", section).ShouldContain(message);

    [Theory]
    [InlineData("[postgres]\nslots = 2", "/etc/lockstep/config.ini: [postgres] connection is missing")]
    [InlineData("[postgres]\nconnection = Database=x;Password=hunter2", "[postgres] connection names no Host")]
    [InlineData("[postgres]\nconnection = Host=db;Password=hunter2;Bogus Key=1", "[postgres] connection is not a valid Npgsql connection string")]
    [InlineData("[postgres]\nconnection = Host=db;Password=hunter2\nslots = 0", "[postgres] slots = '0' is not a whole number 1 or more")]
    public void Postgres_settings_are_checked_without_ever_showing_the_password(string section, string message)
    {
        string error = ConfigError("postgres", section);
        error.ShouldContain(message);
        error.ShouldNotContain("hunter2");
    }

    [Theory]
    [InlineData("[fleetlock]\n", "/etc/lockstep/config.ini: [fleetlock] url is missing")]
    [InlineData("[fleetlock]\nurl = airlock:3333", "[fleetlock] url = 'airlock:3333' is not an http:// or https:// URL")]
    [InlineData("lock_name = os updates\n[fleetlock]\nurl = http://airlock:3333", "/etc/lockstep/config.ini:3: [main] lock_name = 'os updates' is not a FleetLock group name")]
    public void FleetLock_settings_and_the_group_name_are_checked_before_any_call(string section, string message) =>
        ConfigError("fleetlock", section).ShouldContain(message);

    [Theory]
    [InlineData("etcd", "[etcd]\nendpoints = http://10.0.0.1:2379,https://root:hunter2@10.0.0.2:2379/", "[etcd] endpoints: 'https://***@10.0.0.2:2379/' holds a user name or password; remove it")]
    [InlineData("etcd", "[etcd]\nendpoints = root:hunter2@10.0.0.2:2379", "[etcd] endpoints: '***@10.0.0.2:2379' is not an http:// or https:// URL")]
    [InlineData("fleetlock", "[fleetlock]\nurl = https://zincati:hunter2@airlock.example.com", "[fleetlock] url = 'https://***@airlock.example.com' holds a user name or password; remove it")]
    [InlineData("fleetlock", "[fleetlock]\nurl = http://hunter2@airlock:3333/prefix?x=@", "[fleetlock] url = 'http://***@airlock:3333/prefix?x=@' holds a user name or password")]
    public void Credentials_in_a_server_url_are_refused_and_never_shown(string backend, string section, string message)
    {
        string error = ConfigError(backend, section);
        error.ShouldContain(message);
        error.ShouldNotContain("hunter2");
    }

    [Fact]
    public void The_description_of_a_postgres_backend_names_the_server_but_not_the_password()
    {
        var options = PostgresOptions.From(
            IniFile.Parse(LockContexts.ConfigPath, "[postgres]\nconnection = Host=db.example.com;Port=5433;Database=locks;Username=ls;Password=hunter2\n"),
            TimeSpan.FromSeconds(5));
        options.Server.ShouldBe("db.example.com:5433/locks");
        options.ToString().ShouldNotContain("hunter2");
        options.ConnectionString.ShouldContain("Timeout=5");
    }

    [Fact]
    public void A_network_timeout_above_npgsqls_connect_limit_bounds_connecting_at_that_limit_and_statements_in_full()
    {
        var options = PostgresOptions.From(
            IniFile.Parse(LockContexts.ConfigPath, "[postgres]\nconnection = Host=db.example.com;Username=ls\n"),
            TimeSpan.FromSeconds(2000));
        var built = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        built.Timeout.ShouldBe(1024);
        built.CommandTimeout.ShouldBe(2000);
    }

    [Theory]
    [InlineData("", SslMode.VerifyFull)]
    [InlineData(";SSL Mode=Disable", SslMode.Disable)]
    [InlineData(";sslmode=disable", SslMode.Disable)]
    [InlineData(";SslMode=Require", SslMode.Require)]
    [InlineData(";SSL Mode=Prefer", SslMode.Prefer)]
    public void Tls_is_verified_unless_the_connection_string_sets_an_ssl_mode(string setting, SslMode expected)
    {
        var options = PostgresOptions.From(
            IniFile.Parse(LockContexts.ConfigPath, $"[postgres]\nconnection = Host=db.example.com;Username=ls{setting}\n"), TimeSpan.FromSeconds(5));
        options.SslMode.ShouldBe(expected);
        new NpgsqlConnectionStringBuilder(options.ConnectionString).SslMode.ShouldBe(expected);
    }

    private static string ConfigError(string backend, string section) =>
        Should.Throw<ConfigException>(() => LockContexts.Backend($"[main]\nbackend = {backend}\n{section}\n")).Message;
}
