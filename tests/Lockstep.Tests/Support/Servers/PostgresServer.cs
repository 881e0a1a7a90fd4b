using System.Diagnostics;

namespace Lockstep.Tests.Support.Servers;

/// <summary>
/// A real PostgreSQL server on 127.0.0.1 (free port, data on tmpfs) with password authentication
/// over TCP. PostgreSQL refuses to run as root, so under root it runs as the postgres user.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string User = "postgres";

    public const string Password = "lockstep-test-secret";

    // Immediate shutdown: the postmaster ends its children and reaps them, so none is left orphaned.
    private const int SigQuit = 3;

    private readonly string _runDirectory;
    private readonly string _binDirectory;
    private ServerProcess? _process;

    private PostgresServer(string runDirectory, string binDirectory, int port)
    {
        _runDirectory = runDirectory;
        _binDirectory = binDirectory;
        Port = port;
    }

    public int Port { get; }

    public string DataDirectory => Path.Combine(_runDirectory, "data");

    /// <summary>A connection string for this server, which has no TLS: plaintext must be asked for in writing.</summary>
    public string ConnectionString(string? password = Password, string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username={User};Password={password};Database={database};SSL Mode=Disable";

    public static async Task<PostgresServer> StartAsync()
    {
        string bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "postgres"))).OrderByDescending(d => d, StringComparer.Ordinal).FirstOrDefault()
            ?? throw new InvalidOperationException("/usr/lib/postgresql/*/bin/postgres is missing: install postgresql (./tools/test does)");
        string runDirectory = ServerRuns.NewRunDirectory("postgres");
        var server = new PostgresServer(runDirectory, bin, FreePorts.Take(1)[0]);
        try
        {
            string passwordFile = Path.Combine(runDirectory, "password");
            await File.WriteAllTextAsync(passwordFile, Password + "\n");
            Directory.CreateDirectory(Path.Combine(runDirectory, "socket"));
            if (Environment.UserName == "root")
            {
                await RunAsync("chown", "-R", $"{User}:{User}", runDirectory);
            }

            await RunAsync([
                .. AsServerUser(Path.Combine(bin, "initdb")),
                "-D", server.DataDirectory, "-U", User, "--pwfile", passwordFile, "-E", "UTF8",
                "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync", "--no-instructions"]);
            await server.StartProcessAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Stops the server: fast shutdown (SIGINT) by default, or immediate shutdown (SIGQUIT) as a
    /// crash: no checkpoint, recovery from the WAL at the next start.
    /// </summary>
    public async Task StopAsync(bool crash = false)
    {
        if (_process is not null)
        {
            await _process.StopAsync(crash ? SigQuit : 2, TimeSpan.FromSeconds(10));
            _process.Dispose();
            _process = null;
        }
    }

    public Task StartProcessAsync()
    {
        string[] command = AsServerUser(Path.Combine(_binDirectory, "postgres"));
        _process = ServerProcess.Start(_runDirectory, "postgres.log", command[0], [
            .. command[1..],
            "-D", DataDirectory, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c", "listen_addresses=127.0.0.1", "-c", $"unix_socket_directories={Path.Combine(_runDirectory, "socket")}",
            "-c", "fsync=off", "-c", "max_connections=300", "-c", "log_min_messages=warning",
        ], disposeSignal: SigQuit);
        return WaitReadyAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _process?.Dispose();
        _process = null;
        await Task.Yield();
        ServerRuns.Remove(_runDirectory);
    }

    // setpriv execs the server in place, so the pid we record and kill is the postmaster's own.
    private static string[] AsServerUser(string program) => Environment.UserName == "root"
        ? ["/usr/bin/setpriv", $"--reuid={User}", $"--regid={User}", "--init-groups", "--", program]
        : [program];

    private async Task WaitReadyAsync()
    {
        string isReady = Path.Combine(_binDirectory, "pg_isready");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (_process is null || _process.HasExited)
            {
                throw new InvalidOperationException($"postgres exited:\n{_process?.LogTail()}");
            }

            if (await ExitCodeAsync(isReady, "-q", "-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)) == 0)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"postgres did not accept connections within 20 s:\n{_process?.LogTail()}");
    }

    private static async Task RunAsync(params string[] command)
    {
        var (status, error) = await RunForStatusAsync(command[0], command[1..]);
        if (status != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', command)} exited {status}: {error}");
        }
    }

    private static async Task<int> ExitCodeAsync(string file, params string[] args) => (await RunForStatusAsync(file, args)).Status;

    private static async Task<(int Status, string Error)> RunForStatusAsync(string file, string[] args)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await Task.WhenAll(output, error);
        return (process.ExitCode, error.Result);
    }
}
