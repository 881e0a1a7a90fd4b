using Lockstep.Tests.Support;
using Lockstep.Tests.Update;

namespace Lockstep.Tests.Fleet;

/// <summary>The fleet view with the local lock file: hosts sharing one directory, reports as files beside the lock file.</summary>
public sealed class LocalFleetTests : FleetScenarios, IDisposable
{
    private readonly TempDir _shared = new();

    protected override HostBackend Engine => new("backend = local", $"[local]\npath = {_shared["var/local.lock"]}", HostBackend.StatusProbe);

    [Fact]
    public void Reports_are_files_beside_the_lock_file_and_lock_slots_says_what_to_use_instead()
    {
        var web1 = NewHost("web-1");
        web1.Update(new() { ["NO_UPDATES"] = "1" }).ExitCode.ShouldBe(0);
        var files = Directory.GetFiles(_shared["var/fleet"]);
        files.Select(Path.GetFileName).ShouldBe([$"lockstep%2Ffleet%2F{LockName}%2Fhosts%2Fweb-1.json"]);
        File.GetUnixFileMode(_shared["var/fleet"]).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var slots = Lock(web1, "slots", "2");

        slots.ExitCode.ShouldBe(2, slots.ToString());
        slots.Stderr.Trim().Split('\n').Length.ShouldBe(1);
        slots.Stderr.ShouldContain("the local lock file has one slot; to update several hosts at once use backend = etcd or postgres");
    }

    public new void Dispose()
    {
        base.Dispose();
        _shared.Dispose();
    }
}
