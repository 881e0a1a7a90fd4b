using Lockstep.Config;
using Lockstep.Locks;
using Lockstep.Locks.Local;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.Locks;

public sealed class LocalLockBackendTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly FakeClock _clock = new();
    private readonly RecordingLog _log = new();

    public void Dispose() => _dir.Dispose();

    private LocalLockBackend Backend(string relative = "var/local.lock") => new(_dir[relative], _clock, _log);

    [Fact]
    public async Task Acquire_is_idempotent_and_records_the_holder_atomically()
    {
        var backend = Backend();

        await backend.AcquireAsync("fleet", "web-1", CancellationToken.None);
        await backend.AcquireAsync("fleet", "web-1", CancellationToken.None);

        var state = await backend.InspectAsync("fleet", "web-1", CancellationToken.None);
        state.Holders.ShouldBe([new LockHolder("web-1", IsSelf: true)]);
        File.ReadAllText(_dir["var/local.lock"]).ShouldContain("\"acquired_at\": \"2025-03-14T09:00:00+00:00\"");
        File.GetUnixFileMode(_dir["var/local.lock"]).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Directory.GetFiles(_dir["var"]).ShouldBe([_dir["var/local.lock"]]);
    }

    [Theory]
    [InlineData("fifo")]
    [InlineData("symlink")]
    public async Task A_lock_file_that_is_a_fifo_or_a_symlink_another_user_planted_is_refused_at_once(string kind)
    {
        _dir.Dir("var");
        string path = _dir["var/local.lock"];
        if (kind == "fifo")
        {
            using var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path])!;
            mkfifo.WaitForExit();
        }
        else
        {
            string victim = _dir.File("victim", "{\"locks\":{}}");
            File.CreateSymbolicLink(path, victim);
            using var chown = System.Diagnostics.Process.Start("chown", ["-h", "65534", path])!;
            chown.WaitForExit();
        }

        var error = await Should.ThrowAsync<LockException>(Backend().AcquireAsync("fleet", "web-1", CancellationToken.None));

        error.Kind.ShouldBe(LockErrorKind.Refused);
        error.Message.ShouldContain(kind == "fifo" ? "it is a FIFO, not a regular file); set [local] path to a regular file" : "which is owned by uid 65534");
    }

    [Fact]
    public async Task A_lock_held_by_another_holder_is_reported_with_the_holder()
    {
        var backend = Backend();
        await backend.AcquireAsync("fleet", "web-1", CancellationToken.None);

        var error = await Should.ThrowAsync<LockException>(backend.AcquireAsync("fleet", "web-2", CancellationToken.None));

        error.Kind.ShouldBe(LockErrorKind.HeldByOther);
        error.Holders.ShouldBe(["web-1"]);
        error.Message.ShouldBe($"lock 'fleet' in local lock file {_dir["var/local.lock"]} is held by web-1");
        (await backend.InspectAsync("fleet", "web-2", CancellationToken.None)).HeldByOther.ShouldBeTrue();
    }

    [Fact]
    public async Task Release_is_idempotent_and_never_releases_another_holders_lock()
    {
        var backend = Backend();
        await backend.AcquireAsync("fleet", "web-1", CancellationToken.None);

        await backend.ReleaseAsync("fleet", "web-2", CancellationToken.None);
        (await backend.InspectAsync("fleet", "web-1", CancellationToken.None)).HeldBySelf.ShouldBeTrue();

        await backend.ReleaseAsync("fleet", "web-1", CancellationToken.None);
        await backend.ReleaseAsync("fleet", "web-1", CancellationToken.None);
        (await backend.InspectAsync("fleet", "web-1", CancellationToken.None)).Holders.ShouldBeEmpty();
        await backend.AcquireAsync("fleet", "web-2", CancellationToken.None);
    }

    [Fact]
    public async Task Locks_of_other_names_are_independent()
    {
        var backend = Backend();
        await backend.AcquireAsync("fleet-a", "web-1", CancellationToken.None);

        await backend.AcquireAsync("fleet-b", "web-2", CancellationToken.None);

        (await backend.InspectAsync("fleet-a", "x", CancellationToken.None)).Holders.Single().Id.ShouldBe("web-1");
    }

    [Fact]
    public async Task A_corrupt_lock_file_is_a_protocol_error_and_is_left_alone()
    {
        string path = _dir.File("local.lock", "{\"locks\": {\"fleet\": ");
        var backend = Backend("local.lock");

        var error = await Should.ThrowAsync<LockException>(backend.AcquireAsync("fleet", "web-1", CancellationToken.None));

        error.Kind.ShouldBe(LockErrorKind.Protocol);
        error.Message.ShouldStartWith($"local lock file {path} is not a valid lock file");
        File.ReadAllText(path).ShouldBe("{\"locks\": {\"fleet\": ");
    }

    [Theory]
    [InlineData("{\"locks\":null}", "status")]
    [InlineData("{\"locks\":null}", "acquire")]
    [InlineData("{\"locks\":{\"fleet\":null}}", "status")]
    [InlineData("{\"locks\":{\"other\":null}}", "acquire")]
    [InlineData("{\"locks\":{\"fleet\":null}}", "release")]
    [InlineData("null", "acquire")]
    public void A_lock_file_with_null_for_its_locks_or_an_entry_is_invalid_exit_3_and_left_alone(string damaged, string action)
    {
        string path = _dir.File("var/local.lock", damaged);
        string config = _dir.File("update.ini", "[main]\nbackend = local\nlock_name = fleet\nholder_id = web-1\n[local]\npath = var/local.lock\n");

        var result = LockstepCli.Run("lock", action, "--config", config);

        result.ExitCode.ShouldBe(3, result.ToString());
        LockCommandTests.OneErrorLine(result).ShouldEndWith(
            $"local lock file {path} is not a valid lock file (null where a lock table or entry belongs); fix it, or remove it if no host holds the lock");
        File.ReadAllText(path).ShouldBe(damaged);
    }

    [Fact]
    public void The_factory_builds_it_from_backend_local_with_a_path_relative_to_the_config()
    {
        var ini = IniFile.Parse(_dir["update.ini"], "[main]\nbackend = local\n[local]\npath = state/my.lock\n");

        var backend = LockBackendFactory.Create(ini, new LockBackendContext("web-1", TimeSpan.FromSeconds(1), _log, _clock));

        backend.ShouldBeOfType<LocalLockBackend>().Path.ShouldBe(_dir["state/my.lock"]);
    }

    [Fact]
    public void Its_default_path_is_under_var_lib()
    {
        var ini = IniFile.Parse("/etc/lockstep/update.ini", "[main]\nbackend = LOCAL\n");

        var backend = LockBackendFactory.Create(ini, new LockBackendContext("web-1", TimeSpan.FromSeconds(1), _log, _clock));

        backend.ShouldBeOfType<LocalLockBackend>().Path.ShouldBe("/var/lib/lockstep/local.lock");
    }
}
