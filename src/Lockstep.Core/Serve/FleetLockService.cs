using System.Security.Cryptography.X509Certificates;
using Lockstep.Locks;
using Lockstep.Locks.FleetLock;
using Lockstep.Logging;

namespace Lockstep.Serve;

/// <summary>
/// The two FleetLock calls, independent of HTTP: check the request, the client's certificate
/// when <c>client_ca</c> is set, then take or free the slot in the store. Every refusal is one log
/// line and an airlock-shaped answer; store trouble is logged in full but answered without details
/// (they name the store's addresses).
/// </summary>
public sealed class FleetLockService(ServeOptions options, ServeStore store, ServeMetrics metrics, ILog log, TimeProvider clock)
{
    public const string PreRebootPath = "/v1/pre-reboot";
    public const string SteadyStatePath = "/v1/steady-state";

    public static string Endpoint(FleetLockCall call) => call == FleetLockCall.PreReboot ? "pre-reboot" : "steady-state";

    /// <param name="clientCa">The client CA when client certificates are required (it may be reloaded), else null.</param>
    public async Task<ServeAnswer> HandleAsync(
        FleetLockCall call, string? protocolHeader, ReadOnlyMemory<byte> body, X509Certificate2? clientCertificate,
        X509Certificate2Collection? clientCa, string peer, CancellationToken cancellationToken)
    {
        string endpoint = Endpoint(call);
        var answer = await DecideAsync(call, protocolHeader, body, clientCertificate, clientCa, peer, cancellationToken).ConfigureAwait(false);
        metrics.CountRequest(endpoint, answer.Result);
        return answer;
    }

    private async Task<ServeAnswer> DecideAsync(
        FleetLockCall call, string? protocolHeader, ReadOnlyMemory<byte> body, X509Certificate2? clientCertificate,
        X509Certificate2Collection? clientCa, string peer, CancellationToken cancellationToken)
    {
        string endpoint = Endpoint(call);
        var (request, refusal) = FleetLockRequest.Read(protocolHeader, body.Span, options.Groups);
        if (refusal is not null)
        {
            log.Warn($"{peer} {endpoint}: {refusal.Kind}: {refusal.Value}");
            return refusal;
        }

        if (clientCa is not null && ClientCertificateRule.Refusal(clientCertificate, request!.Id, clientCa, clock.GetUtcNow().UtcDateTime) is { } forbidden)
        {
            log.Warn($"{peer} {endpoint} group {request.Group}: {ServeAnswer.ForbiddenClientId}: {forbidden}");
            return ServeAnswer.Error(403, ServeAnswer.ForbiddenClientId, forbidden);
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(options.RequestTimeout);
        try
        {
            if (call == FleetLockCall.PreReboot)
            {
                await store.AcquireAsync(request!, bounded.Token).ConfigureAwait(false);
                log.Info($"{peer} pre-reboot: {request!.Id} holds a slot of group {request.Group}");
            }
            else
            {
                await store.ReleaseAsync(request!, bounded.Token).ConfigureAwait(false);
                log.Info($"{peer} steady-state: {request!.Id} holds no slot of group {request.Group}");
            }

            return ServeAnswer.Ok;
        }
        catch (LockException e) when (e.Kind == LockErrorKind.HeldByOther)
        {
            log.Info($"{peer} pre-reboot: {request!.Id} waits: every slot of group {request.Group} is held");
            return ServeAnswer.Error(500, ServeAnswer.FailedLock, $"all {options.Groups[request.Group]} slot(s) of group \"{request.Group}\" are held; try again later");
        }
        catch (LockException e)
        {
            metrics.CountStoreError();
            log.Error($"{peer} {endpoint} group {request!.Group} id {request.Id}: {e.Message}");
            return ServeAnswer.Error(500, ServeAnswer.FailedSemaphoreInit, $"the lock store failed for group \"{request.Group}\"; try again later (the server's log says why)");
        }
        catch (OperationCanceledException) when (bounded.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            metrics.CountStoreError();
            log.Error($"{peer} {endpoint} group {request!.Group} id {request.Id}: {store.Describe} did not answer within {options.RequestTimeout.TotalSeconds:0.###} s ([serve] request_timeout)");
            return ServeAnswer.Error(500, ServeAnswer.FailedSemaphoreInit, $"the lock store did not answer in time for group \"{request.Group}\"; try again later");
        }
    }
}
