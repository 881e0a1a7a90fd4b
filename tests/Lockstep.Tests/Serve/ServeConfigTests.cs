using System.Net;
using System.Net.Sockets;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.Serve;

/// <summary>serve.ini through the command line: each problem is one line on stderr and exit 3 (exit 1 when the port is taken).</summary>
public sealed class ServeConfigTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("[serve]\nlisten = 127.0.0.1:1\n", "[serve] backend is missing; set it to etcd, postgres, local")]
    [InlineData("[serve]\nbackend = foreman\n", "[serve] backend = 'foreman' is not a backend lockstep serve can keep its semaphore in")]
    [InlineData("[serve]\nbackend = local\nlisten = 127.0.0.1\n", "[serve] listen = '127.0.0.1' is not an address:port to listen on")]
    [InlineData("[serve]\nbackend = local\nport = 3333\n", "[serve] port is not a setting of [serve]")]
    [InlineData("[serve]\nbackend = local\n[group workers]\nslots = 2\n", "[group workers] slots = 2: the local backend holds one host a group")]
    [InlineData("[serve]\nbackend = etcd\n[group workers]\nslots = 0\n", "[group workers] slots = '0' is not a whole number 1 or more")]
    [InlineData("[serve]\nbackend = etcd\n[group work_ers]\nslots = 1\n", "[group work_ers]: 'work_ers' is not a FleetLock group name")]
    [InlineData("[serve]\nbackend = etcd\n[group workers]\n", "[group workers] slots is missing")]
    [InlineData("[serve]\nbackend = etcd\n", "[etcd] endpoints is missing")]
    [InlineData("[serve]\nbackend = postgres\n", "[postgres] connection is missing")]
    [InlineData("[serve]\nbackend = local\ntls_cert = /nonexistent/cert.pem\n", "[serve] tls_cert is set but [serve] tls_key is not")]
    [InlineData("[serve]\nbackend = local\nclient_ca = /nonexistent/ca.pem\n", "[serve] client_ca needs TLS")]
    [InlineData("[serve]\nbackend = local\ntls_cert = /nonexistent/cert.pem\ntls_key = /nonexistent/key.pem\n", "[serve] tls_cert = '/nonexistent/cert.pem': the file does not exist: fix the path")]
    [InlineData("[serve]\nbackend = local\nrequest_timeout = 0\n", "[serve] request_timeout = 0: a request must be bounded")]
    public void A_bad_configuration_is_one_line_and_exit_3(string ini, string message)
    {
        string config = Write(ini);

        var result = LockstepCli.Run("serve", "--config", config);

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Stdout.ShouldBeEmpty();
        string line = OneLine(result);
        line.ShouldContain(message);
        line.ShouldContain(" serve ERROR: ");
    }

    [Fact]
    public void A_configuration_others_could_change_is_refused()
    {
        string config = Write("[serve]\nbackend = local\n");
        File.SetUnixFileMode(config, (UnixFileMode)0b110_110_000);

        var writable = LockstepCli.Run("serve", "--config", config);
        string missing = _dir["none.ini"];
        var absent = LockstepCli.Run("serve", "--config", missing);

        writable.ExitCode.ShouldBe(3, writable.ToString());
        OneLine(writable).ShouldContain($"configuration file {config} is writable by group (mode 0660); refusing to read it (chmod g-w '{config}')");
        absent.ExitCode.ShouldBe(3, absent.ToString());
        OneLine(absent).ShouldEndWith($"{missing}: configuration file not found; create it or pass --config FILE");
    }

    [Fact]
    public void A_configuration_in_a_directory_others_may_write_is_refused()
    {
        string open = _dir.Dir("open");
        File.SetUnixFileMode(open, (UnixFileMode)0b111_111_111);
        string config = Path.Combine(open, "serve.ini");
        File.WriteAllText(config, "[serve]\nbackend = local\n");
        File.SetUnixFileMode(config, (UnixFileMode)0b110_000_000);

        var result = LockstepCli.Run("serve", "--config", config);

        result.ExitCode.ShouldBe(3, result.ToString());
        OneLine(result).ShouldContain($"configuration file {config} is reached through directory {open}, which is writable by");
    }

    [Fact]
    public void A_port_already_taken_is_exit_1_naming_the_address()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        string config = Write($"[serve]\nbackend = local\nlisten = 127.0.0.1:{port}\n[local]\npath = {_dir["local.lock"]}\n");

        var result = LockstepCli.Run("serve", "--config", config);

        result.ExitCode.ShouldBe(1, result.ToString());
        OneLine(result).ShouldContain($"cannot listen on 127.0.0.1:{port} (");
        result.Stderr.ShouldContain("free the port or change [serve] listen");
    }

    private static string OneLine(CliResult result) => result.Stderr.TrimEnd('\n').Split('\n').ShouldHaveSingleItem();

    private string Write(string ini)
    {
        string path = _dir.File("serve.ini", ini);
        File.SetUnixFileMode(path, (UnixFileMode)0b110_000_000);
        return path;
    }
}
