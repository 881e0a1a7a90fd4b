using Lockstep.Tests.Support;
using Lockstep.Update;

namespace Lockstep.Tests.Update;

public sealed class UpdateStateFileTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("post_update\n", UpdateStep.PostUpdate)]
    [InlineData("lock_get", UpdateStep.LockGet)]
    [InlineData("  update \r\n", UpdateStep.Update)]
    [InlineData("do_update\n", UpdateStep.Update)]
    [InlineData("lock_release\n", UpdateStep.LockRelease)]
    public void Foreman_dlm_updaters_one_word_state_is_read(string text, UpdateStep step) =>
        UpdateStateFile.Parse("state", text).ShouldBe(new UpdateState(step) { FromOneWordFile = true });

    [Fact]
    public void A_missing_state_file_means_no_update_in_progress() =>
        UpdateStateFile.Read(_dir["absent"]).ShouldBe(UpdateState.Idle);

    [Fact]
    public void The_json_state_round_trips_with_its_pending_reboot()
    {
        var state = new UpdateState(UpdateStep.PostUpdate, At, "fleet lock", "host-1", new PendingReboot("6f0e-11", At.AddSeconds(3)));
        string path = _dir["var/update.state"];

        UpdateStateFile.Write(path, state);

        UpdateStateFile.Read(path).ShouldBe(state);
        File.ReadAllText(path).ShouldContain("\"step\": \"post_update\"");
        File.GetUnixFileMode(path).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.GetUnixFileMode(_dir["var"]).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.GetFiles(_dir["var"]).ShouldBe([path]);
    }

    [Fact]
    public void Clearing_removes_the_file()
    {
        string path = _dir["update.state"];
        UpdateStateFile.Write(path, new UpdateState(UpdateStep.LockRelease));

        UpdateStateFile.Clear(path);

        File.Exists(path).ShouldBeFalse();
        UpdateStateFile.Clear(path);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("\n", "is empty")]
    [InlineData("post_upd", "holds 'post_upd', which is not a step name")]
    [InlineData("pre_update\nupdate", "which is not a step name")]
    [InlineData("{\"format\":\"lockstep-update-state/1\",\"step\":", "is not valid JSON")]
    [InlineData("{\"format\":\"lockstep-update-state/1\",\"step\":\"sleep\"}", "names step 'sleep'")]
    [InlineData("{\"format\":\"lockstep-update-state/9\",\"step\":\"update\"}", "has format 'lockstep-update-state/9'")]
    [InlineData("{\"step\":\"update\"}", "has format ''")]
    [InlineData("{\"format\":\"lockstep-update-state/1\",\"step\":\"update\",\"reboot\":{\"boot_id\":\"b\",\"requested_at\":\"2025-03-14T09:00:00Z\"}}", "records a reboot")]
    [InlineData("{\"format\":\"lockstep-update-state/1\",\"step\":\"post_update\",\"reboot\":{}}", "records a reboot")]
    public void A_state_that_cannot_be_understood_is_an_error_naming_the_file(string text, string reason)
    {
        var error = Should.Throw<UpdateException>(() => UpdateStateFile.Parse("/var/lib/lockstep/update.state", text));

        error.Message.ShouldStartWith("state file /var/lib/lockstep/update.state ");
        error.Message.ShouldContain(reason);
        error.Message.ShouldContain("left untouched");
        error.ExitCode.ShouldBe(UpdateExitCodes.BadInput);
    }

    [Fact]
    public void An_unreadable_state_file_is_an_error_and_is_kept()
    {
        string path = _dir.Dir("update.state"); // a directory where the file should be: unreadable even for root

        var error = Should.Throw<UpdateException>(() => UpdateStateFile.Read(path));

        error.Message.ShouldContain($"state file {path} cannot be read");
        Directory.Exists(path).ShouldBeTrue();
    }
}
