using System.Runtime.InteropServices;

namespace Lockstep.Tests.Update;

/// <summary>One test for each known defect of foreman_dlm_updater (README "Migrating from foreman_dlm_updater") that Lockstep must not have; 5, 6 and 8 are in UpdateWorkflowTests and UpdateOptionsLoaderTests.</summary>
public sealed class UpdateDefectTests : IDisposable
{
    private readonly UpdateHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public void Defect_1_scripts_run_in_sort_n_order_not_directory_listing_order()
    {
        string order = _host.Dir["order.log"];
        foreach (string name in new[] { "100-last", "20-b", "9-a", "20-a", "check.sh" })
        {
            _host.Dir.Script($"update.d/{name}", $"echo {name} >> '{order}'");
        }

        _host.Update().ExitCode.ShouldBe(0);

        File.ReadAllLines(order).ShouldBe(["check.sh", "9-a", "20-a", "20-b", "100-last"]);
    }

    [Fact]
    public void Defect_2_a_hung_script_is_killed_at_script_timeout_and_the_lock_is_kept()
    {
        // The limit holds for the scripts before the hung one too: 3 s keeps them inside it on a busy machine.
        using var host = new UpdateHost("script_timeout = 3");
        host.Dir.Script("update.d/20-hang", "exec sleep 60");

        var result = host.Update();

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stderr.ShouldContain($"{host.Dir["update.d/20-hang"]} was killed after its 3 s timeout");
        host.LockHolder.ShouldBe(UpdateHost.Holder);
        host.State.ShouldNotBeNull().ShouldContain("\"step\": \"update\"");
    }

    [Theory]
    [InlineData("pre_upd")]
    [InlineData("")]
    [InlineData("{\"format\":\"lockstep-update-state/1\",\"step\":\"upd")]
    public void Defect_3_a_torn_state_file_stops_the_run_names_the_file_and_is_never_deleted(string garbage)
    {
        _host.Update(new() { ["FAIL_IN"] = "update" }).ExitCode.ShouldBe(1);
        File.WriteAllText(_host.StatePath, garbage);

        var result = _host.Update();

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Stderr.ShouldContain($"state file {_host.StatePath} ");
        result.Stderr.ShouldContain("it was left untouched");
        result.Stderr.Trim().Split('\n').Length.ShouldBe(1);
        File.ReadAllText(_host.StatePath).ShouldBe(garbage);
        _host.LockHolder.ShouldBe(UpdateHost.Holder);
        _host.Ran.Length.ShouldBe(3);
    }

    [Fact]
    public void Defect_3_the_state_file_is_replaced_atomically()
    {
        _host.Update(new() { ["REBOOT"] = "1" }).ExitCode.ShouldBe(5);

        Directory.GetFiles(_host.Dir["var"]).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(["local.lock", "update.state"]);
        File.GetUnixFileMode(_host.StatePath).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public void Defect_4_a_failed_reboot_cmd_never_leads_to_post_update_or_release_without_a_new_boot_id()
    {
        var failed = _host.Update(new() { ["REBOOT"] = "1", ["REBOOT_STATUS"] = "7" });

        failed.ExitCode.ShouldBe(1, failed.ToString());
        failed.Stderr.ShouldContain("failed with status 7; the host did not reboot and lock 'fleet' stays held");
        _host.LockHolder.ShouldBe(UpdateHost.Holder);

        _host.Update().ExitCode.ShouldBe(5);
        _host.Update().ExitCode.ShouldBe(5);
        _host.Ran.Count(l => l.StartsWith("reboot", StringComparison.Ordinal)).ShouldBe(3);
        _host.Ran.ShouldNotContain("post_update locked fleet");
        _host.LockHolder.ShouldBe(UpdateHost.Holder);

        _host.Reboot();
        _host.Update().ExitCode.ShouldBe(0);
        _host.Ran[^1].ShouldBe("post_update locked fleet");
        _host.LockHolder.ShouldBeNull();
    }

    public static TheoryData<string, string> UnsafeScripts()
    {
        var data = new TheoryData<string, string>
        {
            { "post_update.d/10-post-update", "group" },
            { "post_update.d/10-post-update", "others" },
            { "post_update.d", "group" },
            { "needs_reboot.d", "others" },
        };

        // Only root can give a file to another user.
        if (Environment.UserName == "root")
        {
            data.Add("post_update.d/10-post-update", "owner");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(UnsafeScripts))]
    public void Defect_7_a_script_or_directory_writable_by_group_or_others_or_owned_by_another_user_is_refused_before_anything_runs(string relative, string problem)
    {
        string path = _host.Dir[relative];
        if (problem == "owner")
        {
            lchown(path, 4242, 4242).ShouldBe(0);
        }
        else
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | (problem == "group" ? UnixFileMode.GroupWrite : UnixFileMode.OtherWrite));
        }

        var result = _host.Update();

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Stderr.ShouldContain(path);
        result.Stderr.ShouldContain(problem == "owner" ? "is owned by uid 4242" : $"is writable by {problem}");
        result.Stderr.ShouldContain("nothing was run");
        _host.Ran.ShouldBeEmpty();
        _host.State.ShouldBeNull();
        _host.LockHolder.ShouldBeNull();
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int lchown(string path, int owner, int group);
}
