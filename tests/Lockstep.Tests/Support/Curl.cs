using System.Diagnostics;

namespace Lockstep.Tests.Support;

/// <summary>What curl got: the HTTP status (0 when no HTTP answer came) and the body.</summary>
public sealed record CurlAnswer(int Status, string Body, string Stderr)
{
    public override string ToString() => $"HTTP {Status}: {Body} {Stderr}";
}

/// <summary>The real curl, as an operator or a zincati-like client uses it against the server.</summary>
public static class Curl
{
    /// <summary>A FleetLock call as zincati sends it: POST, the protocol header, a JSON body.</summary>
    public static CurlAnswer FleetLock(string baseUrl, string endpoint, string id, string group, params string[] extra) =>
        Run([
            "-X", "POST", "-H", "fleet-lock-protocol: true", "-H", "content-type: application/json",
            "--data-binary", $"{{\"client_params\":{{\"id\":\"{id}\",\"group\":\"{group}\"}}}}", .. extra, $"{baseUrl}/v1/{endpoint}",
        ]);

    /// <summary>curl with these arguments; the status and body of the answer.</summary>
    public static CurlAnswer Run(params string[] args)
    {
        var info = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string[])["-sS", "--max-time", "30", "-w", "\n%{http_code}", .. args])
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        int split = output.LastIndexOf('\n');
        return new CurlAnswer(int.Parse(output[(split + 1)..]), output[..split], stderr.Result);
    }
}
