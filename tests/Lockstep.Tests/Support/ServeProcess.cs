using System.Diagnostics;
using System.Text;
using Lockstep.Tests.Support.Servers;

namespace Lockstep.Tests.Support;

/// <summary>
/// A running <c>lockstep serve</c> on a free 127.0.0.1 port, started from a serve.ini written for
/// it. It keeps what it logs, can be stopped (SIGTERM), killed (SIGKILL), sent SIGHUP and started again.
/// </summary>
public sealed class ServeProcess : IAsyncDisposable
{
    private readonly StringBuilder _log = new();
    private Process? _process;
    private string? _signalDisposition;

    private ServeProcess(string configPath, int port, bool tls)
    {
        ConfigPath = configPath;
        Port = port;
        Url = $"{(tls ? "https" : "http")}://127.0.0.1:{port}";
    }

    public string ConfigPath { get; }

    public int Port { get; }

    /// <summary>The base URL, without a trailing slash.</summary>
    public string Url { get; }

    public int Pid => _process?.Id ?? throw new InvalidOperationException("lockstep serve is not running");

    /// <summary>Everything the server wrote on stderr so far.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="directory"/>/serve.ini (mode 0600) with <c>[serve] listen</c> on a free
    /// port before <paramref name="rest"/> (more [serve] keys first, then other sections), starts the
    /// server and waits until it answers.
    /// </summary>
    public static async Task<ServeProcess> StartAsync(string directory, string rest, bool tls = false, string? signalDisposition = null)
    {
        int port = FreePorts.Take(1)[0];
        string config = Path.Combine(directory, "serve.ini");
        File.WriteAllText(config, $"[serve]\nlisten = 127.0.0.1:{port}\n{rest}");
        File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var server = new ServeProcess(config, port, tls) { _signalDisposition = signalDisposition };
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the server (again) on the same configuration and waits until it listens.</summary>
    public async Task StartAgainAsync()
    {
        int started = Starts();
        _process = LockstepCli.Start(new CliOptions { SignalDisposition = _signalDisposition }, "serve", "--config", ConfigPath, "--log-level", "DEBUG");
        var process = _process;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_log)
                {
                    _log.Append(e.Data).Append('\n');
                }
            }
        };
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        var deadline = Stopwatch.StartNew();
        while (Starts() == started)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"lockstep serve exited with {process.ExitCode}:\n{Log}");
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"lockstep serve did not start within 30 s:\n{Log}");
            }

            await Task.Delay(20);
        }
    }

    private int Starts() => Log.Split('\n').Count(line => line.Contains("serving FleetLock on", StringComparison.Ordinal));

    public void Signal(int signal) => _ = Lockstep.Processes.LibC.kill(Pid, signal);

    /// <summary>SIGTERM, then waits for the exit; returns the exit status.</summary>
    public async Task<int> StopAsync()
    {
        var process = _process ?? throw new InvalidOperationException("lockstep serve is not running");
        Signal(15);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);
        _process = null;
        int status = process.ExitCode;
        process.Dispose();
        return status;
    }

    /// <summary>SIGKILL, as a crash or a power cut would end it.</summary>
    public async Task KillAsync()
    {
        var process = _process ?? throw new InvalidOperationException("lockstep serve is not running");
        Signal(9);
        await process.WaitForExitAsync();
        _process = null;
        process.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            await KillAsync();
        }
    }
}
