using Lockstep.Tests.State;
using Lockstep.Tests.Support;
using Lockstep.Tests.Update;

namespace Lockstep.Tests.Files;

/// <summary>
/// What Lockstep reads back as its own (update's state, the state registry) is a file it wrote:
/// root's or the caller's, with no other hard link. A file another user put where it belongs, or a
/// hard link to a file elsewhere, is refused with one line, never acted on or shown.
/// </summary>
public sealed class RuntimeFileOwnerTests : IDisposable
{
    private readonly TempDir _temp = new();

    public RuntimeFileOwnerTests()
    {
        Shared = _temp.Dir("shared");
        File.SetUnixFileMode(Shared, (UnixFileMode)0b1_111_111_111);
    }

    /// <summary>A sticky directory anyone may write, like /tmp.</summary>
    private string Shared { get; }

    public void Dispose() => _temp.Dispose();

    private static void AsNobody(string script)
    {
        using var process = System.Diagnostics.Process.Start("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "/bin/sh", "-c", script])!;
        process.WaitForExit();
        process.ExitCode.ShouldBe(0, script);
    }

    [Fact]
    public void An_update_state_file_another_user_wrote_is_refused_and_nothing_runs()
    {
        string state = Path.Combine(Shared, "update.state");
        AsNobody($"echo post_update > '{state}'");
        using var host = new UpdateHost($"state = {state}");

        var result = host.Update();

        result.ExitCode.ShouldBe(3, result.ToString());
        host.Ran.ShouldBeEmpty();
        result.Stderr.ShouldContain($"state file {state} is owned by uid 65534, not root or the caller (uid 0)");
    }

    [Fact]
    public void An_update_state_file_hard_linked_to_another_file_is_refused_without_showing_that_file()
    {
        // As another user could where fs.protected_hardlinks is off.
        string secret = _temp.File("secret", "the-secret-line\n");
        File.SetUnixFileMode(secret, (UnixFileMode)0b110_000_000);
        string state = _temp["var/update.state"];
        Directory.CreateDirectory(_temp["var"]);
        StateSandbox.Sh("ln", secret, state);
        using var host = new UpdateHost($"state = {state}");

        var result = host.Update();

        result.ExitCode.ShouldBe(3, result.ToString());
        host.Ran.ShouldBeEmpty();
        result.Stderr.ShouldNotContain("the-secret");
        result.Stderr.ShouldContain($"state file {state} has 2 hard links");
        File.ReadAllText(secret).ShouldBe("the-secret-line\n");
    }

    [Theory]
    [InlineData("file")]
    [InlineData("symlink")]
    public void A_state_registry_another_user_put_in_place_never_makes_root_move_anything(string how)
    {
        using var box = new StateSandbox();
        string victim = StateSandbox.WriteFile(box.Live + "/etc/important", "root's\n");
        string registry = Path.Combine(Shared, "stateful-paths");
        AsNobody(how == "file"
            ? $"echo '{victim};' > '{registry}'"
            : $"echo '{victim};' > '{Shared}/list' && ln -s '{Shared}/list' '{registry}'");

        var result = box.Run("state", "finalize", "--registry", registry);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stderr.ShouldContain(how == "file"
            ? $"registry {registry} is owned by uid 65534, not root or the caller (uid 0)"
            : $"registry {registry} is reached through symlink {registry}, which is owned by uid 65534");
        File.ReadAllText(victim).ShouldBe("root's\n");
        Path.Exists(box.PristineOf(victim)).ShouldBeFalse();
    }
}
