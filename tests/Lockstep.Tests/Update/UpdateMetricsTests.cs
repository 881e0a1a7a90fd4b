using System.Diagnostics;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.Update;

/// <summary>metrics_file through the command line: promtool accepts every file written, and its values are the run's.</summary>
public sealed class UpdateMetricsTests : IDisposable
{
    private readonly UpdateHost _host = new("metrics_file = metrics/update.prom");

    public UpdateMetricsTests() => Directory.CreateDirectory(_host.Dir["metrics"]);

    public void Dispose() => _host.Dispose();

    private string Metrics => _host.Dir["metrics/update.prom"];

    private double? Value(string sample) => Promtool.Value(Metrics, sample);

    [Fact]
    public void A_run_to_the_reboot_and_the_run_after_it_are_described_as_they_went()
    {
        long before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var rebooting = _host.Update(new() { ["REBOOT"] = "1" });

        rebooting.ExitCode.ShouldBe(5, rebooting.ToString());
        Promtool.Accepts(Metrics);
        (File.GetUnixFileMode(Metrics) & (UnixFileMode)0x1FF).ShouldBe((UnixFileMode)Convert.ToInt32("644", 8));
        Value("lockstep_update_step{step=\"post_update\"}").ShouldBe(1);
        Value("lockstep_update_step{step=\"needs_update\"}").ShouldBe(0);
        Value("lockstep_update_lock_held").ShouldBe(1);
        Value("lockstep_update_exit_status").ShouldBe(5);
        Value("lockstep_update_reboots_requested_total").ShouldBe(1);
        Value("lockstep_update_last_success_timestamp_seconds").ShouldBeNull();
        Value("lockstep_update_last_run_timestamp_seconds")!.Value.ShouldBeInRange(before, before + 60);
        Value("lockstep_update_lock_wait_seconds")!.Value.ShouldBeInRange(0, 5);
        Value("lockstep_update_script_exit_status{step=\"needs_update\",script=\"10-needs-update\"}").ShouldBe(1);
        Value("lockstep_update_script_exit_status{step=\"needs_reboot\",script=\"10-needs-reboot\"}").ShouldBe(1);
        Value("lockstep_update_script_exit_status{step=\"update\",script=\"10-update\"}").ShouldBe(0);
        Value("lockstep_update_script_duration_seconds{step=\"update\",script=\"10-update\"}")!.Value.ShouldBeInRange(0.0001, 30);

        _host.Reboot();
        var after = _host.Update();

        after.ExitCode.ShouldBe(0, after.ToString());
        Promtool.Accepts(Metrics);
        Value("lockstep_update_step{step=\"needs_update\"}").ShouldBe(1);
        Value("lockstep_update_lock_held").ShouldBe(0);
        Value("lockstep_update_exit_status").ShouldBe(0);
        Value("lockstep_update_reboots_requested_total").ShouldBe(1); // carried over; this run did not reboot
        Value("lockstep_update_last_success_timestamp_seconds")!.Value.ShouldBeGreaterThanOrEqualTo(Value("lockstep_update_last_run_timestamp_seconds")!.Value);
        Value("lockstep_update_script_exit_status{step=\"post_update\",script=\"10-post-update\"}").ShouldBe(0);
        Value("lockstep_update_script_exit_status{step=\"update\",script=\"10-update\"}").ShouldBeNull(); // not this run's

        var idle = _host.Update(new() { ["NO_UPDATES"] = "1" });

        idle.ExitCode.ShouldBe(0, idle.ToString());
        Promtool.Accepts(Metrics);
        Value("lockstep_update_reboots_requested_total").ShouldBe(1);
        Value("lockstep_update_script_exit_status{step=\"needs_update\",script=\"10-needs-update\"}").ShouldBe(0);
    }

    [Fact]
    public void The_file_follows_the_steps_while_the_run_goes_on()
    {
        using var run = _host.Start(new() { ["HOLD_IN"] = "update" });
        Eventually.WaitFor(() => File.Exists(_host.Dir["held.pid"]), "the update script to start");

        Promtool.Accepts(Metrics);
        Value("lockstep_update_step{step=\"update\"}").ShouldBe(1);
        Value("lockstep_update_lock_held").ShouldBe(1);
        Value("lockstep_update_exit_status").ShouldBeNull();

        Process.GetProcessById(int.Parse(File.ReadAllText(_host.Dir["held.pid"]).Trim())).Kill();
        run.WaitForExit(30_000).ShouldBeTrue();

        run.ExitCode.ShouldBe(1);
        Promtool.Accepts(Metrics);
        Value("lockstep_update_exit_status").ShouldBe(1);
        Value("lockstep_update_script_exit_status{step=\"update\",script=\"10-update\"}").ShouldBe(137);
    }

    [Fact]
    public void A_metrics_file_in_a_missing_directory_is_a_warning_and_the_update_goes_on()
    {
        using var host = new UpdateHost("metrics_file = no-such-dir/update.prom");

        var result = host.Update();

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stderr.Split('\n').Count(l => l.Contains("metrics file " + host.Dir["no-such-dir/update.prom"] + " ([main] metrics_file) cannot be written (") && l.Contains("no-such-dir does not exist)")).ShouldBe(1);
        host.Ran.Length.ShouldBe(5);
    }

    [Fact]
    public void A_metrics_file_behind_a_symlink_another_user_planted_is_refused_not_written_through()
    {
        File.WriteAllText(_host.Dir["victim"], "keep\n");
        File.CreateSymbolicLink(Metrics, _host.Dir["victim"]);
        using (var chown = System.Diagnostics.Process.Start("/bin/chown", ["-h", "65534:65534", Metrics])!)
        {
            chown.WaitForExit();
            chown.ExitCode.ShouldBe(0);
        }

        var result = _host.Update();

        result.ExitCode.ShouldBe(0, result.ToString());
        File.ReadAllText(_host.Dir["victim"]).ShouldBe("keep\n");
        result.Stderr.Split('\n').Count(l => l.Contains("metrics file " + Metrics + " ([main] metrics_file) cannot be written")).ShouldBe(1);
    }

    [Fact]
    public void A_fifo_at_the_metrics_path_neither_hangs_the_run_nor_is_written_through()
    {
        using (var mkfifo = System.Diagnostics.Process.Start("/usr/bin/mkfifo", [Metrics])!)
        {
            mkfifo.WaitForExit();
            mkfifo.ExitCode.ShouldBe(0);
        }

        var result = _host.Update();

        result.ExitCode.ShouldBe(0, result.ToString());
        new FileInfo(Metrics).Length.ShouldBeGreaterThan(0, "a FIFO has no length: the file must have been replaced by a regular one");
        File.ReadAllText(Metrics).ShouldContain("lockstep_update_step{step=");
        Promtool.Accepts(Metrics);
    }
}
