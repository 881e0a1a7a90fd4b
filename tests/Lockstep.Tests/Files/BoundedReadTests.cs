using Lockstep.Tests.State;
using Lockstep.Tests.Support;
using Lockstep.Tests.Support.ForemanDlm;
using Lockstep.Tests.Update;

namespace Lockstep.Tests.Files;

/// <summary>
/// Files read whole (update's state and boot id, the state registry, TLS files): a FIFO fails at
/// once with one line instead of hanging, and a file far larger than such a file holds is refused
/// by its size instead of being read into memory. 620a6ee hung on each FIFO and read each huge
/// file whole.
/// </summary>
public sealed class BoundedReadTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Fifo(string name)
    {
        string path = _temp[name];
        using var process = System.Diagnostics.Process.Start("mkfifo", [path])!;
        process.WaitForExit();
        process.ExitCode.ShouldBe(0);
        return path;
    }

    /// <summary>A regular file of <paramref name="bytes"/> printable bytes in lines, like a file written by mistake.</summary>
    private string Huge(string name, int bytes)
    {
        string line = new string('x', 79) + "\n";
        string path = _temp.File(name, string.Concat(Enumerable.Repeat(line, (bytes / line.Length) + 1)));
        return path;
    }

    private static string OneLine(CliResult result) => result.Stderr.Trim().Split('\n').ShouldHaveSingleItem(result.ToString());

    [Theory]
    [InlineData("state", "fifo", "state file {0} cannot be read (it is a FIFO, not a regular file); it was left untouched")]
    [InlineData("state", "huge", "state file {0} cannot be read (it is larger than 64 KiB, far more than such a file holds); it was left untouched")]
    [InlineData("boot_id_file", "fifo", "boot id file {0} ([main] boot_id_file) cannot be read (it is a FIFO, not a regular file); fix the setting")]
    [InlineData("boot_id_file", "huge", "boot id file {0} ([main] boot_id_file) cannot be read (it is larger than 4 KiB, far more than such a file holds); fix the setting")]
    public void An_update_file_that_is_a_fifo_or_huge_fails_at_once_with_one_line_and_nothing_runs(string key, string kind, string expected)
    {
        string path = kind == "fifo" ? Fifo("special") : Huge("special", 1024 * 1024);
        using var host = new UpdateHost($"{key} = {path}");

        var result = LockstepCli.RunWith(new CliOptions { Timeout = Limit }, "update", "--config", host.Config);

        result.ExitCode.ShouldBe(3, result.ToString());
        OneLine(result).ShouldContain(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, path));
        host.Ran.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("list", "fifo", "cannot read the registry {0}: it is a FIFO, not a regular file")]
    [InlineData("restore", "fifo", "cannot read the registry {0}: it is a FIFO, not a regular file")]
    [InlineData("list", "huge", "cannot read the registry {0}: it is larger than 16 MiB")]
    [InlineData("restore", "huge", "cannot read the registry {0}: it is larger than 16 MiB")]
    public void A_state_registry_that_is_a_fifo_or_huge_fails_at_once_with_one_line(string command, string kind, string expected)
    {
        using var box = new StateSandbox();
        string registry = kind == "fifo" ? Fifo("registry") : Huge("registry", (16 * 1024 * 1024) + 1);

        var result = LockstepCli.RunWith(box.Options() with { Timeout = Limit }, "state", command, "--registry", registry);

        result.ExitCode.ShouldBe(1, result.ToString());
        OneLine(result).ShouldContain(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, registry));
    }

    [Theory]
    [InlineData("ca", "fifo", "the file cannot be read (it is a FIFO, not a regular file)")]
    [InlineData("client_crt", "fifo", "the file cannot be read (it is a FIFO, not a regular file)")]
    [InlineData("client_key", "fifo", "the file cannot be read (it is a FIFO, not a regular file)")]
    [InlineData("ca", "huge", "the file cannot be read (it is larger than 4 MiB, far more than such a file holds)")]
    [InlineData("client_crt", "huge", "the file cannot be read (it is larger than 4 MiB, far more than such a file holds)")]
    public void A_tls_file_that_is_a_fifo_or_huge_fails_at_once_with_one_line_before_any_request(string key, string kind, string expected)
    {
        using var server = ForemanDlmServer.Start();
        string config = server.WriteConfig("web1");
        string path = kind == "fifo" ? Fifo("tls") : Huge("tls", (4 * 1024 * 1024) + 1);
        var lines = File.ReadAllLines(config).Where(l => !l.StartsWith($"{key} =", StringComparison.Ordinal)).ToList();
        lines.Insert(1, $"{key} = {path}");
        File.WriteAllLines(config, lines);

        var result = LockstepCli.RunWith(new CliOptions { Timeout = Limit }, "lock", "status", "--config", config);

        result.ExitCode.ShouldBe(2, result.ToString());
        OneLine(result).ShouldContain($"{config}:2: [main] {key} = '{path}': {expected}");
        server.Requests.ShouldBeEmpty();
    }
}
