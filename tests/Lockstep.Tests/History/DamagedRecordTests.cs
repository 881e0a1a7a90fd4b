using Lockstep.Tests.Refresh;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.History;

/// <summary>A record that is valid JSON but holds null where a list, an id or an entry belongs is shown as unreadable, never a crash.</summary>
public sealed class DamagedRecordTests : IDisposable
{
    private readonly RefreshHost _host = new();

    public void Dispose() => _host.Dispose();

    [Theory]
    [InlineData("{\"version\":1,\"id\":null}")]
    [InlineData("{\"version\":1,\"id\":\"r\",\"phases\":null}")]
    [InlineData("{\"version\":1,\"id\":\"r\",\"phases\":[null]}")]
    [InlineData("{\"version\":1,\"id\":\"r\",\"phases\":[{\"name\":\"configure\",\"scripts\":null}]}")]
    [InlineData("{\"version\":1,\"id\":\"r\",\"phases\":[{\"name\":\"configure\",\"scripts\":[null]}]}")]
    [InlineData("{\"version\":1,\"id\":\"r\",\"phases\":[{\"name\":null,\"scripts\":[]}]}")]
    [InlineData("{\"version\":1,\"id\":\"r\",\"process\":null}")]
    [InlineData("{\"version\":1,\"id\":\"r\",\"base_dir\":null}")]
    [InlineData("{\"version\":1,\"id\":\"r\",\"error_handlers\":{\"name\":\"error\",\"scripts\":[null]}}")]
    public void A_record_with_null_where_something_belongs_is_shown_as_unreadable(string json)
    {
        _host.Run().ExitCode.ShouldBe(0);
        string damaged = Path.Combine(_host.StateDir, "runs", "20991231T000000.000Z-1.json");
        File.WriteAllText(damaged, json);

        foreach (string[] args in new[] { new[] { "--detail" }, ["--json"], [] })
        {
            var result = _host.History(args);

            result.ExitCode.ShouldBe(0, result.ToString());
            result.Stderr.ShouldContain($"cannot read run record {damaged}");
            result.Stderr.ShouldContain("it is shown as unreadable and left in place");
            File.Exists(damaged).ShouldBeTrue();
        }
    }
}
