using System.Net.Sockets;
using System.Runtime.InteropServices;
using Lockstep.Config;
using Lockstep.Logging;
using Lockstep.Processes;

namespace Lockstep.Serve;

/// <summary>Exit statuses of <c>lockstep serve</c>, as the README documents them.</summary>
public static class ServeExitStatus
{
    /// <summary>Stopped by SIGTERM or SIGINT.</summary>
    public const int Stopped = 0;

    /// <summary>The listen address cannot be bound (in use, no permission, not an address of this host).</summary>
    public const int CannotListen = 1;

    /// <summary>Bad, unreadable or untrusted configuration, or unusable TLS files at start.</summary>
    public const int ConfigError = 3;
}

/// <summary>
/// <c>lockstep serve</c>: loads the trusted configuration, serves until SIGTERM or SIGINT, and
/// reloads the TLS files on SIGHUP (README, "lockstep serve").
/// </summary>
public static class ServeHost
{
    public static async Task<int> RunAsync(string configPath, ILog log, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(log);
        ServeOptions options;
        ServerCertificates? certificates;
        ServeStore store;
        try
        {
            var config = ServeConfigFile.Load(configPath);
            options = ServeOptions.From(config);
            certificates = options.Tls ? ServerCertificates.Load(options) : null;
            store = ServeStore.Create(config, options, log, clock);
        }
        catch (ConfigException e)
        {
            log.Error(e.Message);
            return ServeExitStatus.ConfigError;
        }

        // Started under nohup, HUP would stay ignored; it asks a server to reload, as it does of
        // Go's servers (airlock, Prometheus), and a terminal's hang-up then reloads, which is harmless.
        // Held until the store is closed too: once it is disposed, HUP's default action is back.
        IgnoredSignals.TakeBack(LibC.SIGHUP);
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            Reload(certificates, log);
        });

        await using (store.ConfigureAwait(false))
        {
            var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                log.Info($"{context.Signal}: stopping");
                stop.TrySetResult();
            }

            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

            FleetLockServer server;
            try
            {
                server = await FleetLockServer.StartAsync(options, store, certificates, log, clock, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                string reason = (e.InnerException ?? e).Message.TrimEnd('.');
                log.Error($"cannot listen on {options.Listen} ({reason}); free the port or change [serve] listen");
                return ServeExitStatus.CannotListen;
            }

            await using (server.ConfigureAwait(false))
            {
                string groups = string.Join(", ", options.Groups.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} ({g.Value} slot{(g.Value == 1 ? "" : "s")})"));
                log.Info($"serving FleetLock on {(options.Tls ? "https" : "http")}://{options.Listen}{(options.ClientCa is null ? "" : " (client certificates required)")} for groups {groups}, in {store.Describe}");
                await stop.Task.ConfigureAwait(false);
                await server.StopAsync().ConfigureAwait(false);
            }
        }

        return ServeExitStatus.Stopped;
    }

    private static void Reload(ServerCertificates? certificates, ILog log)
    {
        if (certificates is null)
        {
            log.Info("SIGHUP: no TLS files to reload");
            return;
        }

        if (certificates.Reload() is { } problem)
        {
            log.Error($"SIGHUP: TLS files not reloaded, still serving the previous ones: {problem}");
            return;
        }

        log.Info($"SIGHUP: TLS files reloaded; serving certificate {certificates.Certificate.Subject} valid until {certificates.Certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC");
    }
}
