using System.Diagnostics;
using Lockstep.Processes;

namespace Lockstep.Tests.Support.Servers;

/// <summary>A server started for the tests: its output goes to a log file in its run directory, and it is killed by pid.</summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private ServerProcess(Process process, StreamWriter log)
    {
        _process = process;
        _log = log;
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string LogPath { get; private init; } = "";

    /// <summary>The signal that stops the server at disposal (KILL unless the server cleans up its children on another).</summary>
    public int DisposeSignal { get; init; } = 9;

    public static ServerProcess Start(string runDirectory, string logName, string file, IEnumerable<string> args, int disposeSignal = 9)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = runDirectory,
        };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        string logPath = Path.Combine(runDirectory, logName);
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Start();
        ServerRuns.RecordPid(runDirectory, process.Id);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServerProcess(process, log) { LogPath = logPath, DisposeSignal = disposeSignal };
    }

    /// <summary>Sends <paramref name="signal"/> and waits for the exit (KILL when it takes longer than <paramref name="patience"/>).</summary>
    public async Task StopAsync(int signal, TimeSpan patience)
    {
        if (_process.HasExited)
        {
            return;
        }

        _ = LibC.kill(_process.Id, signal);
        using var wait = new CancellationTokenSource(patience);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            _ = LibC.kill(_process.Id, 9);
            await _process.WaitForExitAsync();
        }
    }

    public string LogTail(int lines = 20)
    {
        try
        {
            using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException)
        {
            return "";
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _ = LibC.kill(_process.Id, DisposeSignal);
            if (!_process.WaitForExit(5000))
            {
                _ = LibC.kill(_process.Id, 9);
                _process.WaitForExit(5000);
            }
        }

        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
